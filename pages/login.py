"""Sign-in page (登录): password or single sign-on; once signed in, the account page (账户) with
sign-out. Lockout, sessions and role checks live in lib.accounts and lib.ui.session."""

from lib.ui import login, session

user = session.current_user()
if user:
    login.account_box(user)
else:
    login.sign_in_form()
