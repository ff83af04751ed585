"""A module attribute built on first use, so that importing the module imports no framework."""

from typing import Any, Callable


def lazy_class(module: str, name: str, build: Callable[[], type]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that builds ``name`` with ``build()`` once, when first asked for."""
    built = []

    def getattr_(attribute: str) -> Any:
        if attribute != name:
            raise AttributeError("module %r has no attribute %r" % (module, attribute))
        if not built:
            built.append(build())
        return built[0]

    return getattr_
