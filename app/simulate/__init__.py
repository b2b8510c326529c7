"""`jobmatrix simulate`: an invented district's months played through the real webhook, relay and
emulator on a controlled clock (population.py: who; calendar.py: when; driver.py: how)."""
