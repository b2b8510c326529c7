"""The demo: emulator + server + example org on SQLite, a scripted scenario and a live web page."""
