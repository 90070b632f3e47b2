"""What runs are turned into for people: the CLI's text report, comparisons (tables, figures, HTML and
the files `workbench compare` writes), the standalone PyTorch script and TensorBoard logs."""
