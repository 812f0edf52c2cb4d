"""Channel-neutral conversation: an incoming message or button becomes an Intent, a use case is
called, and `Reply`s come back for the channel to render. No platform imports here."""
