"""The thin Qt layer over workbench.core: it renders core state and never computes training facts."""
