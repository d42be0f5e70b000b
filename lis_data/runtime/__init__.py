"""Run time: the DuckDB indicator store built from the extract (with the judged table computed once per
extract), the query API over it, the extract's health check, the release log, and the lock and swap
the build and the running app share."""
