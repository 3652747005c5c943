"""Public copies of the files attached to briefs.

The public reads, and the archive search indexes, a copy of each attached file with the
redacted passages removed from its content and its metadata stripped (`service`); the
original stays with the organization's editors and the round's stewards
(`consultations.document_access`). One module per format does the removal (`pdf`,
`office`), `passages` says what a passage matches, and `verify` checks the copy by
extracting its text again: what cannot be verified waits for staff.
"""
