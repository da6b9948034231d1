"""The app server: streamlit's Starlette app running app.py, plus the sign-in cookie route.

Run it with `streamlit run serve.py` (what `make run`, deploy/ and the browser tests do): streamlit
finds `app` below and serves app.py with the extra route of lib.accounts.web. The server answers
(its health check included) only once warm: lib.ui.warm.lifespan fills the caches of every
dashboard's default view and imports every page's modules before uvicorn accepts a connection, and
its watcher keeps them warm after every upload. Running `streamlit run app.py` still works, but
then a reload signs the user out (no cookie route) and the first visitors fill the caches.
"""

from streamlit.starlette import App

from lib.accounts.web import routes
from lib.ui import warm
from lib.ui.navigation import serve_pages_through_app

serve_pages_through_app()  # every request goes through app.py's st.navigation, the first one too
app = App("app.py", routes=routes(), lifespan=warm.lifespan)
