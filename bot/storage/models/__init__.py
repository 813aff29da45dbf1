"""All ORM models; importing this package registers every table on `Base.metadata`."""

from bot.storage.models.base import Base
from bot.storage.models.learning import ActiveDay, ExplainerRead, QuestionMemory, Quiz, QuizPoll
from bot.storage.models.tips import TipDelivery, TipPrompt, TipSeen, TipSubscription
from bot.storage.models.updates import PROCESSED_UPDATES
from bot.storage.models.users import User

__all__ = [
    "PROCESSED_UPDATES",
    "ActiveDay",
    "Base",
    "ExplainerRead",
    "QuestionMemory",
    "Quiz",
    "QuizPoll",
    "TipDelivery",
    "TipPrompt",
    "TipSeen",
    "TipSubscription",
    "User",
]
