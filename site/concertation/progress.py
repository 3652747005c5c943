"""Progress bars for long management commands (imports, index rebuilds, generators)."""

from django.core.management.base import BaseCommand, OutputWrapper
from tqdm import tqdm


class _CommandStream:
    """Hands tqdm's output to a command's stderr as is: Django's wrapper would otherwise
    add a line ending after every refresh and colour the bar as an error."""

    def __init__(self, wrapper: OutputWrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, style_func=lambda message: message, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


def progress_bar(command: BaseCommand, total: int, unit: str, *, disable: bool = False) -> tqdm:
    """A tqdm bar on the command's stderr; use as a context manager."""
    return tqdm(total=total, unit=unit, disable=disable, file=_CommandStream(command.stderr))
