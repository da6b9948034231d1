"""No code of the app passes unsafe_allow_html: markup goes through st.html (sanitised by
streamlit) or st.image (the SVG sparkline), with data escaped before it is put in."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_of_lib_or_pages_uses_unsafe_allow_html() -> None:
    """Test that no file under lib/ or pages/, nor app.py or serve.py, mentions unsafe_allow_html."""
    files = [*(ROOT / "lib").rglob("*.py"), *(ROOT / "pages").glob("*.py")]
    files += [ROOT / "app.py", ROOT / "serve.py"]
    assert len(files) > 40
    users = [str(p.relative_to(ROOT)) for p in files if "unsafe_allow_html" in p.read_text("utf-8")]
    assert users == []
