"""The audit trail's plumbing: who is writing and through which door (``context``), and how
PostgreSQL learns it (``postgres``). The trail itself is ``plans.history``."""
