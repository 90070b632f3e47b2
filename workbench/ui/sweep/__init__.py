"""Sweeps in the app: Run → Sweep… (dialog.py) starts one in the background (job.py), the Sweep window
(view.py: plots.py, curves.py, table.py) shows it live and reopened from its directory, and wiring.py hooks
both into the main window's menus and its runs session."""
