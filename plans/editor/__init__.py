"""The editor: the pages where the office (kansli) writes the whole plan in the browser."""
