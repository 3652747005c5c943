"""The error every public page raises for a query-string parameter it cannot accept.

Views answer it with a 400 whose message names the parameter (project rule: bad input
gets a clear error naming the field, never a 500)."""


class ParameterError(ValueError):
    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"{parameter}: {message}")
        self.parameter = parameter
        self.message = message
