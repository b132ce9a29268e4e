"""pw.run(): computes every output registered by io.*.write and io.subscribe."""

from vigil import _vigil
from vigil._enum import Constants


class MonitoringLevel(Constants):
    """Pathway's pw.MonitoringLevel, for `pw.run(monitoring_level=pw.MonitoringLevel.NONE)`:
    accepted and ignored, as vigil has no monitoring dashboard."""

    AUTO = 0
    AUTO_ALL = 1
    NONE = 2
    IN_OUT = 3
    ALL = 4

# Pathway's run() options that have no meaning for vigil (monitoring, HTTP server, license,
# ...): accepted so that programs run unchanged.
_ACCEPTED_AND_IGNORED = {
    "debug", "monitoring_level", "with_http_server", "default_logging", "license_key",
    "runtime_typechecking", "persistence_config", "autocommit_duration_ms",
}


def run_options(*, terminate_on_error: bool = True, max_batch_rows: int | None = None,
                **kwargs) -> _vigil.RunOptions:
    unknown = set(kwargs) - _ACCEPTED_AND_IGNORED
    if unknown:
        raise TypeError(f"unexpected keyword argument(s): {', '.join(sorted(unknown))}")
    if kwargs.get("persistence_config") is not None:
        raise NotImplementedError("persistence is not in vigil yet")
    options = _vigil.RunOptions()
    options.terminate_on_error = terminate_on_error
    if not terminate_on_error:
        # Pathway's terminate_on_error=False: a row with an unparsable field is kept, with
        # Error in that field, instead of being skipped.
        options.on_bad_row = _vigil.OnBadRow.KEEP_ERROR
    if max_batch_rows is not None:
        options.max_batch_rows = max_batch_rows
    return options


def run(**kwargs) -> None:
    """Runs the graph until every input ends (static inputs) or the run is stopped
    (SIGINT/SIGTERM for live inputs)."""
    _vigil.run(run_options(**kwargs))


def run_all(**kwargs) -> None:
    run(**kwargs)
