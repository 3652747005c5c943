"""The demo fora: their tables (`demo_fora_data`) and the loader (`demo_fora`)."""
