"""All ORM models; importing this package registers every table on `Base.metadata`."""

from bot.storage.models.base import Base
from bot.storage.models.users import User

__all__ = ["Base", "User"]
