"""Plan generator: a commune's Excel workbook in, its Nghị định 30 poverty-reduction plan out.

The library's entry points are in `povertyplan.api` (`check`, `generate`, `new_workbook`); the
stages of the flow are the subpackages `contract`, `read`, `validate`, `aggregate`, `compose`,
`render` and `write`, in that order.
"""

__version__ = "1.0.0"


def __getattr__(name: str):
    if name in ("check", "generate"):
        # deferred: the whole flow (pandas, openpyxl, Jinja2), which importing any one module of the
        # package must not load; and no import cycle runs through this file
        from povertyplan import api

        return getattr(api, name)
    raise AttributeError(name)
