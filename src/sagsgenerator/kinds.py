"""The document kinds by name, importable at no cost (the command line's --help needs them;
documents/ holds the registry with labels and modules, `KIND_INFO`)."""

KINDS = ("sagsfremstilling", "idekatalog", "handleplan", "opfoelgning", "udvalgssag")
