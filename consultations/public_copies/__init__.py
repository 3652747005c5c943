"""Public copies of the files attached to briefs.

The public reads, and the archive search indexes, a copy of each attached file with the
redacted passages removed from its content and its metadata stripped (`service`); the
original stays with the organization's editors and the round's stewards
(`consultations.permissions.documents`). One module per format does the removal (`pdf`,
`office`), `rewrite` runs it and reads the copy's text again inside the sandboxed worker
(`search.sandbox`: the file came from the public), `passages` says what a passage
matches, and `service` checks the copy's text: what cannot be verified waits for staff.
"""
