"""People, the workspaces they share, and each one's role in them: what an owner, a
researcher or an observer may do."""

from __future__ import annotations

from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone

from heard.core.languages import TRANSCRIPT_LANGUAGES


class UserManager(BaseUserManager["User"]):
    def create_user(self, email: str, name: str, password: str | None = None) -> User:
        user = self.model(email=self.normalize_email(email).lower(), name=name)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


class User(AbstractBaseUser):
    email = models.EmailField("email", unique=True)
    name = models.CharField("name", max_length=150)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    RESEARCHER = "researcher", "Researcher"
    OBSERVER = "observer", "Observer"

    def can_view(self) -> bool:
        return True

    def can_edit(self) -> bool:
        """Create and change studies, participants, guides and interviews."""
        return self in (Role.OWNER, Role.RESEARCHER)

    def can_manage_members(self) -> bool:
        """Invite people, change roles, rename the workspace."""
        return self is Role.OWNER

    def can_take_part_in_reviews(self) -> bool:
        """Vote on and challenge a review's findings: every member, observers included. The
        review is the meeting where stakeholders who otherwise only read challenge the team's
        conclusions."""
        return self.can_view()

    def can_export_participants(self, observers_allowed: bool) -> bool:
        """Download the whole participant list, every email and phone number in it, as CSV:
        those who edit the directory, and observers only where the workspace allows it (off
        by default). Reading one person's page is not carrying off the list."""
        return self.can_edit() or observers_allowed

    def can_handle_participant_requests(self) -> bool:
        """Act on a participant's request: export everything held about them, or erase them
        everywhere. Owners, who answer for what the workspace holds about people."""
        return self is Role.OWNER

    def can_read_audit_log(self) -> bool:
        """Read and download the workspace's audit log (who played, downloaded, exported,
        erased, or changed roles and retention): owners, who answer for it; the log names
        what each member read."""
        return self is Role.OWNER

    def can_queue_questions(self) -> bool:
        """Queue a question for the team's reserve during a call: every member, observers
        included, since stakeholders often join a call as guests and that is what guests do."""
        return self.can_view()

    def at_most(self, ceiling: Role) -> Role:
        """This role, lowered to `ceiling` where it is higher: what a member may do through a
        token made with a lower role than theirs."""
        order = list(Role)  # highest first
        return self if order.index(self) >= order.index(ceiling) else ceiling

    @property
    def description(self) -> str:
        return {
            Role.OWNER: "Everything, including inviting people and changing roles.",
            Role.RESEARCHER: "Plans studies, edits participants and guides, runs interviews.",
            Role.OBSERVER: "Reads everything and changes nothing.",
        }[self]


DEFAULT_PURPOSE = (
    "Thank you for taking the time to meet us, {participant_first_name}. As we discussed over "
    "mail, we are working on the next stage of our roadmap, and since we value {company} as "
    "one of our most prominent customers, we'd like to ask you some questions about "
    "{study_topic} and make sure we're heading in the right direction."
)


class Workspace(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    purpose_template = models.TextField(
        "why we are here",
        default=DEFAULT_PURPOSE,
        help_text="Said at the start of every interview. Fields in braces are filled in: "
        "{participant_first_name}, {participant_name}, {company}, {study_topic}, "
        "{study_goal}, {interviewer}.",
    )
    observers_may_export_participants = models.BooleanField(
        "observers may download the participant list",
        default=False,
        help_text="The CSV of every participant, with their email, phone and profile. Owners "
        "and researchers may always download it.",
    )
    observers_export_pseudonyms = models.BooleanField(
        "observers' downloads show pseudonyms",
        default=True,
        help_text="The matrix, summaries, transcripts and the coach's figures an observer "
        "downloads name each participant by a pseudonym (P07) and leave companies out. Anyone "
        "may ask for that on a download; this makes it the only way for observers.",
    )
    transcript_language = models.CharField(
        "language of transcripts",
        max_length=8,
        blank=True,
        choices=TRANSCRIPT_LANGUAGES,
        help_text="The language interviews are held in, for transcribing recordings; an "
        "interview may say otherwise. Left to detect, the speech model tells it from the "
        "recording.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.RESEARCHER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=("workspace", "user"), name="membership_once_per_user"),
        )
        ordering = ("user__name",)

    def __str__(self) -> str:
        return f"{self.user} in {self.workspace} ({self.role})"

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def may_export_participants(self) -> bool:
        return self.role_enum.can_export_participants(
            self.workspace.observers_may_export_participants
        )
