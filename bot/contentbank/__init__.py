"""The content bank: YAML files validated into plain, immutable content objects."""
