"""The data of a run: one loader module per family of datasets (`loaders` picks one), each giving a
RawDataset; `bundle` carves out validation and applies the [data] options on the training device."""
