"""The pure domain: agenda, events, session state and derived figures. No Textual, no Rich."""
