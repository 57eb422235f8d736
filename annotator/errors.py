"""Errors the core raises for bad input or a bad project; each carries a message fit for a user."""


class AnnotatorError(Exception):
    """Base class: the message is shown to the user as it is, without a traceback."""


class NotFoundError(AnnotatorError):
    pass


class AmbiguousIdError(AnnotatorError):
    pass


class ValidationError(AnnotatorError):
    """Input that breaks a rule: offsets out of range, unknown label, bad attribute."""


class ImportFailed(AnnotatorError):
    """A file could not be imported; the project is unchanged."""


class ProjectError(AnnotatorError):
    """The project file cannot be used (damaged, locked, not a project)."""


class ProjectLockedError(ProjectError):
    pass


class ProjectDamagedError(ProjectError):
    pass


class ProjectClosedError(ProjectError):
    """The project was closed (a window going away still had a timer running)."""


class ProjectNeedsUpgrade(ProjectError):
    """An older project file opened read-only: it must be opened once for writing to migrate."""


class ConstraintError(ProjectError):
    """A write that would break one of the project file's rules (a foreign key, a unique index)."""
