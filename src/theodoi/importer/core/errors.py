"""The one error the importer raises for a file it cannot read."""


class ImportFileError(Exception):
    """A file the importer refuses; ``message`` is one Vietnamese sentence for the user.

    It says why the file cannot be read and what to do instead.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
