"""Why a public copy could not be made."""


class UnreadableFile(Exception):
    """The file cannot be opened or rewritten (corrupt, encrypted, too large unpacked)."""
