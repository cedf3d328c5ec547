"""The two quizzes at /careers/, published with their first versions' words: "Is care for
me?" and "What would you do?". The words are the demo's own, written in plain English for
the register's association; an association edits them as new versions (docs/careers.md)."""

from django.db import transaction

from accounts.models import Organisation, User

WRITTEN_WITH = (
    "care workers and people who draw on care and support in the Care Workers' Association's "
    "members' group"
)


def _options(*pairs):
    return [{"key": key, "text": text, "feedback": feedback} for key, (text, feedback) in pairs]


IS_CARE_FOR_ME = {
    "intro": (
        "Eight questions about what the work is really like, so you can decide whether it is "
        "for you. There are no right answers and no score. It takes about five minutes."
    ),
    "ending": (
        "Whatever you chose, you now know more about the work. Many people who felt unsure "
        "at first found they were good at it; a paid job trial is a safe way to find out."
    ),
    "questions": [
        {
            "key": "washing",
            "text": (
                "Much of the work is personal care: helping someone wash, dress and use the "
                "toilet. How do you feel about that?"
            ),
            "options": _options(
                (
                    "a",
                    (
                        "Fine. I have done it for someone in my family.",
                        "That experience counts. Employers will want to hear how you kept the "
                        "person's dignity.",
                    ),
                ),
                (
                    "b",
                    (
                        "Nervous, but I would like to learn.",
                        "Most care workers felt the same at first. You are trained and shadow "
                        "someone before you do it on your own.",
                    ),
                ),
                (
                    "c",
                    (
                        "I would rather not do personal care.",
                        "Some roles have little or none, such as day services or companionship. "
                        "Ask each employer before you apply.",
                    ),
                ),
            ),
        },
        {
            "key": "toileting",
            "text": (
                "Someone you support has had an accident and is embarrassed. What would "
                "matter most to you?"
            ),
            "options": _options(
                (
                    "a",
                    (
                        "Helping them quickly and quietly, without fuss.",
                        "People who draw on care say being treated matter-of-factly keeps their "
                        "dignity.",
                    ),
                ),
                (
                    "b",
                    (
                        "Reassuring them that it is all right.",
                        "A few kind words help, as long as they are about the person, not the "
                        "mess.",
                    ),
                ),
                (
                    "c",
                    (
                        "Asking how they would like me to help.",
                        "Asking puts them in charge of their own care, which is what good "
                        "support does.",
                    ),
                ),
            ),
        },
        {
            "key": "shifts",
            "text": (
                "Care happens every day of the year. Shifts often start at 7 in the morning "
                "or end at 10 at night. How would that fit your life?"
            ),
            "options": _options(
                (
                    "a",
                    (
                        "Early starts and late finishes suit me.",
                        "Good: say so when you apply, as it helps employers plan the rota.",
                    ),
                ),
                (
                    "b",
                    (
                        "I need set hours around children or other work.",
                        "Many employers offer set patterns or school-hours shifts. Look for "
                        "them in the job's terms.",
                    ),
                ),
                (
                    "c",
                    (
                        "I am not sure yet.",
                        "Ask an employer what a typical week looks like before you decide.",
                    ),
                ),
            ),
        },
        {
            "key": "weekends",
            "text": (
                "Most jobs ask you to work some weekends and bank holidays, such as one "
                "weekend in two. How do you feel about that?"
            ),
            "options": _options(
                (
                    "a",
                    (
                        "That is fine.",
                        "Weekend shifts are sometimes paid more. Check the job's terms.",
                    ),
                ),
                (
                    "b",
                    (
                        "Some weekends, but not every one.",
                        "That is what most jobs ask. The advert should say how often.",
                    ),
                ),
                (
                    "c",
                    (
                        "I cannot work weekends.",
                        "A few roles are weekdays only, for example in day services. Ask before "
                        "you apply.",
                    ),
                ),
            ),
        },
        {
            "key": "driving",
            "text": (
                "In home care you travel between people's homes, often by car, in all "
                "weathers. Which is true for you?"
            ),
            "options": _options(
                (
                    "a",
                    (
                        "I drive and have a car I could use.",
                        "Ask whether mileage and travel time are paid: the job's terms should say.",
                    ),
                ),
                (
                    "b",
                    (
                        "I do not drive.",
                        "Care homes, supported living and some town-centre home care rounds "
                        "do not need a car.",
                    ),
                ),
                (
                    "c",
                    (
                        "I drive but have no car.",
                        "Some employers lend cars or use walking rounds. It is worth asking.",
                    ),
                ),
            ),
        },
        {
            "key": "alone",
            "text": (
                "In home care you are often on your own in someone's home. How do you feel "
                "about that?"
            ),
            "options": _options(
                (
                    "a",
                    (
                        "I like working on my own.",
                        "Good employers still make sure you can always reach someone for help.",
                    ),
                ),
                (
                    "b",
                    (
                        "I would rather be part of a team on site.",
                        "A care home or supported living service may suit you better.",
                    ),
                ),
            ),
        },
        {
            "key": "feelings",
            "text": (
                "You grow close to the people you support, and some of them will become "
                "unwell or die. How might you cope?"
            ),
            "options": _options(
                (
                    "a",
                    (
                        "Talking it through with colleagues or friends.",
                        "Care workers say this helps most. Ask employers what support they offer.",
                    ),
                ),
                (
                    "b",
                    (
                        "I keep my feelings to myself.",
                        "That is common, but grief builds up. Supervision is a safe place to talk.",
                    ),
                ),
                (
                    "c",
                    (
                        "I do not know.",
                        "Nobody knows until it happens. It is fine to ask for help when it does.",
                    ),
                ),
            ),
        },
        {
            "key": "why",
            "text": "What draws you to care work most?",
            "options": _options(
                (
                    "a",
                    (
                        "Making a difference to someone's day.",
                        "That is what keeps most care workers in the job. Tell employers about it.",
                    ),
                ),
                (
                    "b",
                    (
                        "Work that fits around my life.",
                        "Care has many patterns of work. Be open about what you need.",
                    ),
                ),
                (
                    "c",
                    (
                        "A career with training and a way up.",
                        "The Care Workforce Pathway sets out how people progress, from new to "
                        "care to manager.",
                    ),
                ),
            ),
        },
    ],
}


def _scenario(key, value, text, interview, *options):
    return {
        "key": key,
        "value": value,
        "text": text,
        "interview": interview,
        "options": _options(*options),
    }


WHAT_WOULD_YOU_DO = {
    "intro": (
        "Eight short situations from a care worker's day. Every option is something a caring "
        "person might do. After each one you get something to think about, and at the end a "
        "list of strengths to talk about at an interview. There is no score."
    ),
    "ending": (
        "These are your strengths to talk about at interview. Think of a time from your own "
        "life for each one: employers want examples, not perfect answers."
    ),
    "questions": [
        _scenario(
            "breakfast",
            "kind",
            "Mr Patel has dementia and is upset at breakfast, saying he must go to work. "
            "What do you do?",
            "Talk about a time you calmed someone who was upset.",
            (
                "a",
                (
                    "Gently remind him that he retired years ago.",
                    "People who draw on care told us being corrected can feel like being told "
                    "off. It can upset people more.",
                ),
            ),
            (
                "b",
                (
                    "Ask him about his work and listen.",
                    "Joining someone in what they feel often calms them. It shows you see "
                    "things from their side.",
                ),
            ),
            (
                "c",
                (
                    "Suggest a cup of tea first.",
                    "Small comforts help, especially when you also notice how he is feeling.",
                ),
            ),
        ),
        _scenario(
            "late",
            "honest",
            "You are running 20 minutes late for Mrs Green's morning visit. What do you do?",
            "Talk about a time people relied on you and you kept your word.",
            (
                "a",
                (
                    "Ring the office so they can let her know.",
                    "People told us waiting without knowing is the worst part. A call "
                    "keeps their trust.",
                ),
            ),
            (
                "b",
                (
                    "Rush to get there as fast as I can.",
                    "Your safety matters too, and she may still be worried while she waits.",
                ),
            ),
            (
                "c",
                (
                    "Cut the visit short so I catch up.",
                    "People who draw on care say short visits leave them feeling like a "
                    "task. Ask the office for help instead.",
                ),
            ),
        ),
        _scenario(
            "risk",
            "courageous",
            "Joan wants to walk to the shop on her own, although she had a fall last month. "
            "What do you do?",
            "Talk about a time you supported someone to do something that mattered to them.",
            (
                "a",
                (
                    "Talk with her about how to make the walk safer, then respect her choice.",
                    "Adults have the right to take risks. Planning with her respects that and "
                    "keeps her safe enough.",
                ),
            ),
            (
                "b",
                (
                    "Offer to go with her.",
                    "Kind, and it may suit her. Ask whether she wants company rather than "
                    "insisting.",
                ),
            ),
            (
                "c",
                (
                    "Tell her it is not safe and she should stay in.",
                    "Wanting her safe is natural, but the choice is hers. People told us "
                    "losing control of small things hurts most.",
                ),
            ),
        ),
        _scenario(
            "choice",
            "respect",
            "Ken wants to wear the same jumper for the third day running. It is stained. "
            "What do you do?",
            "Talk about a time you respected a choice you would not have made yourself.",
            (
                "a",
                (
                    "Leave it: it is his choice.",
                    "Respecting choices matters. You might still check whether something else "
                    "is behind it.",
                ),
            ),
            (
                "b",
                (
                    "Offer to wash it tonight so it is ready tomorrow.",
                    "This respects his choice and his dignity at once.",
                ),
            ),
            (
                "c",
                (
                    "Ask him why he likes it.",
                    "Curiosity often tells you something about the person you did not know.",
                ),
            ),
        ),
        _scenario(
            "concern",
            "courageous",
            "You see a colleague speak roughly to someone and hurry them. What do you do?",
            "Talk about a time you spoke up when something was not right.",
            (
                "a",
                (
                    "Tell my manager what I saw.",
                    "Speaking up protects people. Good employers welcome it and keep it "
                    "safe for you.",
                ),
            ),
            (
                "b",
                (
                    "Talk to my colleague first.",
                    "Sometimes right, but if someone may have been harmed, your manager must "
                    "know too.",
                ),
            ),
            (
                "c",
                (
                    "Check the person is all right.",
                    "A good first step. Then tell your manager, as it may not be the first time.",
                ),
            ),
        ),
        _scenario(
            "whole",
            "whole-person",
            "Your new client's care plan lists her medication and meals, and nothing else. "
            "What do you do on your first visit?",
            "Talk about a time you got to know someone well.",
            (
                "a",
                (
                    "Ask her what she enjoys and what matters to her.",
                    "People told us they want to be known as a person, not a list of tasks.",
                ),
            ),
            (
                "b",
                (
                    "Follow the plan carefully so nothing is missed.",
                    "The plan matters. Adding what you learn about her makes it better.",
                ),
            ),
            (
                "c",
                (
                    "Look at the photos around her home and ask about them.",
                    "A lovely way in. It shows you are interested in her life.",
                ),
            ),
        ),
        _scenario(
            "feedback",
            "learning",
            "Your supervisor says you could explain things more slowly to people you "
            "support. How do you react?",
            "Talk about a time you changed how you did something after feedback.",
            (
                "a",
                (
                    "Thank them and try it.",
                    "Being open to feedback is how everyone in care gets better.",
                ),
            ),
            ("b", ("Ask for an example.", "Asking helps you understand exactly what to change.")),
            (
                "c",
                (
                    "Feel hurt, and think about it later.",
                    "Honest and common. Coming back to it later still counts.",
                ),
            ),
        ),
        _scenario(
            "proud",
            "proud",
            "A relative tells you their mum laughs more since you started visiting. "
            "How do you feel?",
            "Talk about something you are proud of.",
            (
                "a",
                (
                    "Proud. That is why I do the job.",
                    "Pride in the work helps you and the people you support.",
                ),
            ),
            (
                "b",
                (
                    "Glad, but it is the whole team's work.",
                    "Good teams share the credit. It is fine to take some too.",
                ),
            ),
            (
                "c",
                (
                    "Embarrassed. I am only doing my job.",
                    "Being modest is fine. Your work still makes a difference.",
                ),
            ),
        ),
    ],
}

QUIZZES = [
    ("is-care-for-me", "preview", "Is care for me?", IS_CARE_FOR_ME),
    ("what-would-you-do", "scenarios", "What would you do?", WHAT_WOULD_YOU_DO),
]


def seed_demo_quizzes(association: Organisation | None = None, admin: User | None = None) -> None:
    """Both quizzes with a published first version, credited; does nothing if they exist."""
    from careers.models import Quiz
    from careers.services.quizzes import quiz_version_draft_start, quiz_version_publish

    association = association or Organisation.objects.get(name="Care Workers' Association")
    admin = admin or User.objects.get(email="association@example.com")
    with transaction.atomic():
        for order, (slug, kind, title, content) in enumerate(QUIZZES):
            quiz, created = Quiz.objects.get_or_create(
                slug=slug, defaults={"kind": kind, "organisation": association, "order": order}
            )
            if quiz.versions.exists():
                continue
            draft = quiz_version_draft_start(
                quiz=quiz, user=admin, title=title, content=content, written_with=WRITTEN_WITH
            )
            quiz_version_publish(version=draft, user=admin)
