"""Training a run: the model builder (`models`), the loop (`engine`, a generator a worker drives), the
steps it shares with the exported script (`steps`), the probes and the callbacks that record and guard."""
