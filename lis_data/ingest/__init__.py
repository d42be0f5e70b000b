"""Build time: reading and validating the ONS releases, fetching them, and writing the project's extract
(`python -m lis_data build` / `fetch`). The running app never imports this package."""
