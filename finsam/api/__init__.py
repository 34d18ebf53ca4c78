"""What the REST API of every app shares: fields, permissions, pagination, throttles, errors."""
