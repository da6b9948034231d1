"""The app server: streamlit's Starlette app running app.py, plus the sign-in cookie route.

Run it with `streamlit run serve.py` (what `make run`, deploy/ and the browser tests do): streamlit
finds `app` below and serves app.py with the sign-in cookie route of lib.accounts.web, and its
HTML page with the app's root named (lib.ui.entry: a page's URL connects at once). The server answers
(its health check included) only once warm: lib.ui.warm.lifespan fills the caches of every
dashboard's default view and imports every page's modules before uvicorn accepts a connection, and
its watcher keeps them warm after every upload. Running `streamlit run app.py` still works, but
then a reload signs the user out (no cookie route) and the first visitors fill the caches.
"""

from streamlit.starlette import App

from lib.accounts import web
from lib.ui import entry, warm
from lib.ui.navigation import serve_pages_through_app

serve_pages_through_app()  # every request goes through app.py's st.navigation, the first one too
app = App("app.py", routes=[*entry.page_routes(), *web.routes()], lifespan=warm.lifespan)
