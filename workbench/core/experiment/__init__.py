"""The experiment: its file format and validation (`config`), every choice it can make (`registry`), and
the presets that ship as experiment files (`presets`)."""
