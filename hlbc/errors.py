"""The one exception of the loading phase.

`LoadError` is raised by `hlbc.reader` (and by the VM's linker) for any byte
string that is not a well-formed module; it names the byte offset (or the
function and pc) where the problem was found.  Verification and run-time
errors are `hllvm`'s.
"""


class LoadError(Exception):
    def __init__(self, message: str, offset: int | None = None, where: str | None = None):
        self.message = message
        self.offset = offset
        self.where = where
        super().__init__(str(self))

    def __str__(self) -> str:
        loc = []
        if self.where:
            loc.append(f"in {self.where}")
        if self.offset is not None:
            loc.append(f"at offset {self.offset}")
        return f"LoadError: {' '.join(loc) + ': ' if loc else ''}{self.message}"
