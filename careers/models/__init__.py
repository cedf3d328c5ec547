"""The careers models, one module a part: quizzes, stories and campaigns."""

from careers.models.campaigns import *  # noqa: F403
from careers.models.quizzes import *  # noqa: F403
from careers.models.stories import *  # noqa: F403
