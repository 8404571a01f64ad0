"""What the buttons in Excel do: values in, patch out, and thin engine adapters."""
