"""The server's own HTTP side beside Streamlit's pages (Starlette, no Streamlit): routes, the data
API, the hub's routes, middleware, readiness, per-address throttling and the client's address."""
