"""Views of the Espace Coop (/coop/), one module per area."""
