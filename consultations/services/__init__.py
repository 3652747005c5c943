"""The writes on consultations, one module per concept: `rounds` (a round's lifecycle and
the briefs sent to it), `responses` (the government's response points) and `cosigning`
(naming co-signers and answering a request). Each write is one transaction; tests build
their data through them too."""
