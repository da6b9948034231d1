"""The app server: streamlit's Starlette app running app.py, plus the sign-in cookie route.

Run it with `streamlit run serve.py` (what `make run`, deploy/ and the browser tests do): streamlit
finds `app` below and serves app.py with the extra route of lib.accounts.web. Running
`streamlit run app.py` still works, but then a reload signs the user out (no cookie route).
"""

from streamlit.starlette import App

from lib.accounts.web import routes
from lib.ui import warm
from lib.ui.navigation import serve_pages_through_app

serve_pages_through_app()  # every request goes through app.py's st.navigation, the first one too
warm.start_watcher()  # the first visit after a start or an upload finds the overview and map caches full
app = App("app.py", routes=routes())
