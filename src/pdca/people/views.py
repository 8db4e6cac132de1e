"""The people module's pages: the competence matrix, job roles and their requirements, the
competence catalogue, a person's profile and records, courses and training sessions."""

from typing import Any

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pdca.core.access import get_object_for, visible_rows
from pdca.core.permissions import can
from pdca.core.selectors import object_history
from pdca.core.views.base import OrgView, acting_user
from pdca.core.views.confirm import ConfirmView
from pdca.core.views.forms import FormView, field_values, versioned
from pdca.core.views.lists import ListView
from pdca.people import awareness, forms, selectors, services
from pdca.people.models import (
    Acknowledgement,
    Attendance,
    AwarenessItem,
    Competence,
    CompetenceRecord,
    Course,
    JobRole,
    Person,
    RecordStatus,
    Requirement,
    SessionStatus,
    TrainingSession,
)


def _url(name: str, org: Any, **kwargs: Any) -> str:
    return reverse(f"people:{name}", kwargs={"org": org.slug, **kwargs})


class PeopleForm(FormView):
    """A people form on the module's one form page: a title and where "Cancel" goes."""

    template_name = "people/form.html"
    form_takes: tuple[str, ...] = ("organization",)
    title: Any = ""

    def page_title(self, obj: Any) -> Any:
        return self.title

    def cancel(self, obj: Any) -> str:
        return _url("matrix", self.org)

    def context(self, obj: Any) -> dict[str, Any]:
        return {"title": self.page_title(obj), "cancel": self.cancel(obj)}


# The matrix -----------------------------------------------------------------------------


class MatrixView(ListView):
    """People × the competences their job roles require, a page of people at a time."""

    permission = "people.view"
    template_name = "people/matrix.html"
    rows_template = "people/_matrix_rows.html"
    filter_class = forms.MatrixFilter
    per_page = 50

    def filter_kwargs(self) -> dict[str, Any]:
        return {"organization": self.org}

    def rows(self, data: dict[str, Any]) -> QuerySet[Person]:
        return selectors.matrix_people(self.membership, data)

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        people = list(page.object_list)
        grid = selectors.matrix(people, competence=data.get("competence"))
        awareness = selectors.awareness_of(self.org, people)
        for row in grid.rows:
            row.awareness = awareness.get(row.person.pk)
        return {
            "matrix": grid,
            "can_assign": can(self.membership, "people.assign"),
            "can_manage": can(self.membership, "people.manage"),
            "own": Person.objects.filter(membership=self.membership).first(),
        }


# Job roles and requirements -------------------------------------------------------------


class JobRoleListView(ListView):
    permission = "people.view"
    template_name = "people/job_roles.html"
    rows_template = "people/job_roles.html"
    counted = True

    def rows(self, data: dict[str, Any]) -> QuerySet[JobRole]:
        return (
            JobRole.objects.filter(organization=self.org)
            .select_related("department")
            .annotate(
                holders=Count("assignments", distinct=True),
                required=Count("requirements", distinct=True),
            )
            .order_by("name")
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "people.manage")}


class JobRoleDetailView(OrgView):
    permission = "people.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        role = get_object_for(
            request, JobRole.objects.select_related("department"), "people.view", pk=pk
        )
        holders = (
            selectors.visible_people(self.membership)
            .filter(assignments__job_role=role)
            .order_by("membership__user__full_name")
        )
        context = {
            "role": role,
            "requirements": list(role.requirements.select_related("competence")),
            "holders": list(holders[:200]),
            "can_manage": can(self.membership, "people.manage"),
            "history": object_history(role),
        }
        return render(request, "people/job_role.html", context)


class JobRoleEditView(PeopleForm):
    permission = "people.manage"
    model = JobRole
    form_class = forms.JobRoleForm
    form_takes = ("organization", "initial")
    initial_fields = (*services.JOB_ROLE_FIELDS, "version")
    success_route = "people:job_role"

    def initial(self, obj: JobRole | None) -> dict[str, Any]:
        return super().initial(obj) if obj is not None else {"is_active": True}

    def page_title(self, obj: JobRole | None) -> Any:
        return obj or _("New job role")

    def cancel(self, obj: Any) -> str:
        return _url("job_roles", self.org)

    def act(self, obj: JobRole | None, form: Any) -> JobRole:
        version, data = versioned(form)
        return services.job_role_save(
            actor=acting_user(self.request),
            organization=self.org,
            job_role=obj,
            version=version,
            **data,
        )


class RequirementCreateView(PeopleForm):
    """Require a competence of the job role the URL names."""

    permission = "people.manage"
    model = JobRole
    form_class = forms.RequirementForm
    success_route = "people:job_role"

    def page_title(self, obj: JobRole) -> Any:
        return _("Require a competence of %(role)s") % {"role": obj}

    def cancel(self, obj: JobRole) -> str:
        return _url("job_role", self.org, pk=obj.pk)

    def initial(self, obj: JobRole) -> dict[str, Any]:
        return {}

    def act(self, obj: JobRole, form: Any) -> JobRole:
        _version, data = versioned(form)
        services.requirement_save(
            actor=acting_user(self.request), organization=self.org, job_role=obj, **data
        )
        return obj


class RequirementEditView(PeopleForm):
    permission = "people.manage"
    model = Requirement
    select_related = ("job_role", "competence")
    form_class = forms.RequirementForm
    initial_fields = ("competence", "level", "shown_by", "renewal_months", "version")

    def page_title(self, obj: Requirement) -> Any:
        return str(obj)

    def cancel(self, obj: Requirement) -> str:
        return _url("job_role", self.org, pk=obj.job_role_id)

    def success_url(self, obj: Requirement) -> str:
        return self.cancel(obj)

    def act(self, obj: Requirement, form: Any) -> Requirement:
        version, data = versioned(form)
        return services.requirement_save(
            actor=acting_user(self.request),
            organization=self.org,
            requirement=obj,
            version=version,
            **data,
        )


# The competence catalogue ---------------------------------------------------------------


class CompetenceListView(ListView):
    permission = "people.view"
    template_name = "people/competences.html"
    rows_template = "people/competences.html"
    counted = True

    def rows(self, data: dict[str, Any]) -> QuerySet[Competence]:
        return (
            Competence.objects.filter(organization=self.org)
            .annotate(roles=Count("requirements", distinct=True))
            .order_by("name")
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {"can_manage": can(self.membership, "people.manage")}


class CompetenceEditView(PeopleForm):
    permission = "people.manage"
    model = Competence
    form_class = forms.CompetenceForm
    form_takes = ("organization", "initial")
    initial_fields = (*services.COMPETENCE_FIELDS, "version")
    success_route = "people:competences"
    success_pk = False

    def initial(self, obj: Competence | None) -> dict[str, Any]:
        return super().initial(obj) if obj is not None else {"is_active": True}

    def page_title(self, obj: Competence | None) -> Any:
        return obj or _("New competence")

    def cancel(self, obj: Any) -> str:
        return _url("competences", self.org)

    def act(self, obj: Competence | None, form: Any) -> Competence:
        version, data = versioned(form)
        return services.competence_save(
            actor=acting_user(self.request),
            organization=self.org,
            competence=obj,
            version=version,
            **data,
        )


# People ---------------------------------------------------------------------------------


class PersonDetailView(OrgView):
    """A person's profile: their job roles, their row of the matrix, records and training."""

    permission = "people.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        person = get_object_for(
            request, selectors.visible_people(self.membership), "people.view", pk=pk
        )
        context = {
            "person": person,
            **selectors.person_profile(person),
            "awareness": selectors.awareness_of(self.org, [person])[person.pk],
            "can_acknowledge": can(self.membership, "people.acknowledge"),
            "can_assign": can(self.membership, "people.assign"),
            "can_record": can(self.membership, "people.record"),
            "is_self": person.membership_id == self.membership.pk,
            "today": timezone.localdate(),
        }
        return render(request, "people/person.html", context)


class AssignView(PeopleForm):
    """Give a member a job role (their profile is made the first time)."""

    permission = "people.assign"
    form_class = forms.AssignForm
    title = gettext_lazy("Give a job role")
    success_message = gettext_lazy("The job role was given.")

    def initial(self, obj: None) -> dict[str, Any]:
        return {"since": timezone.localdate(), **self.request.GET.dict()}

    def act(self, obj: None, form: Any) -> Any:
        return services.job_assign(actor=acting_user(self.request), **form.cleaned_data)

    def success_url(self, obj: Any) -> str:
        return _url("person", self.org, pk=obj.person_id)


class PersonEditView(PeopleForm):
    permission = "people.assign"
    form_class = forms.PersonForm
    success_route = "people:person"
    initial_fields = (*services.PERSON_FIELDS, "version")

    def load(self, pk: int) -> Person:
        return get_object_for(
            self.request, selectors.visible_people(self.membership), self.permission, pk=pk
        )

    def page_title(self, obj: Person) -> Any:
        return str(obj)

    def cancel(self, obj: Person) -> str:
        return _url("person", self.org, pk=obj.pk)

    def act(self, obj: Person, form: Any) -> Person:
        version, data = versioned(form)
        return services.person_update(
            actor=acting_user(self.request), person=obj, expected_version=version, **data
        )


class RecordCreateView(PeopleForm):
    """Record a competence for the person the URL names."""

    permission = "people.record"
    form_class = forms.RecordForm
    success_message = gettext_lazy("The competence was recorded.")

    def load(self, pk: int) -> Person:
        return get_object_for(
            self.request, selectors.visible_people(self.membership), self.permission, pk=pk
        )

    def initial(self, obj: Person) -> dict[str, Any]:
        return {"achieved_on": timezone.localdate()}

    def page_title(self, obj: Person) -> Any:
        return _("Record a competence of %(person)s") % {"person": obj}

    def cancel(self, obj: Person) -> str:
        return _url("person", self.org, pk=obj.pk)

    def success_url(self, obj: Any) -> str:
        return _url("person", self.org, pk=obj.person_id)

    def act(self, obj: Person, form: Any) -> CompetenceRecord:
        return services.competence_record_create(
            actor=acting_user(self.request), membership=obj.membership, **form.cleaned_data
        )


def _records(membership: Any) -> QuerySet[CompetenceRecord]:
    return visible_rows(membership, CompetenceRecord).select_related(
        "competence", "person__membership__user", "recorded_by", "attendance__session__course"
    )


class RecordDetailView(OrgView):
    permission = "people.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        row = get_object_for(request, _records(self.membership), "people.view", pk=pk)
        context = {
            "row": row,
            "history": object_history(row),
            "can_record": can(self.membership, "people.record")
            and row.status == RecordStatus.VALID,
            "today": timezone.localdate(),
        }
        return render(request, "people/record.html", context)


class RecordCorrectView(PeopleForm, ConfirmView):
    permission = "people.record"
    form_class: type[django_forms.Form] = forms.RecordCorrectForm
    form_takes = ()
    initial_fields: tuple[str, ...] = (
        "evidence",
        "level",
        "achieved_on",
        "valid_until",
        "reference",
        "version",
    )
    success_route = "people:record"
    success_message = gettext_lazy("The record was corrected.")

    def load(self, pk: int) -> CompetenceRecord:
        return get_object_for(self.request, _records(self.membership), self.permission, pk=pk)

    def page_title(self, obj: CompetenceRecord) -> Any:
        return _("Correct: %(record)s") % {"record": obj}

    def cancel(self, obj: CompetenceRecord) -> str:
        return _url("record", self.org, pk=obj.pk)

    def act(self, obj: CompetenceRecord, form: Any) -> CompetenceRecord:
        version, data = versioned(form)
        return services.competence_record_correct(
            actor=acting_user(self.request), record=obj, expected_version=version, **data
        )


class RecordWithdrawView(RecordCorrectView):
    form_class = forms.ReasonForm
    initial_fields = ()
    success_message = gettext_lazy("The record was withdrawn; it is kept, marked withdrawn.")

    def page_title(self, obj: CompetenceRecord) -> Any:
        return _("Withdraw: %(record)s") % {"record": obj}

    def act(self, obj: CompetenceRecord, form: Any) -> CompetenceRecord:
        return services.competence_record_withdraw(
            actor=acting_user(self.request), record=obj, reason=form.cleaned_data["reason"]
        )


# Training -------------------------------------------------------------------------------


class TrainingListView(ListView):
    """Courses and the sessions planned and held, latest first."""

    permission = "people.view"
    template_name = "people/training.html"
    rows_template = "people/_session_rows.html"

    def rows(self, data: dict[str, Any]) -> QuerySet[TrainingSession]:
        return (
            TrainingSession.objects.filter(organization=self.org)
            .select_related("course", "trainer")
            .annotate(people=Count("attendances"))
            .order_by("-held_on", "-pk")
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "courses": list(Course.objects.filter(organization=self.org).order_by("title")[:100]),
            "can_manage": can(self.membership, "people.manage"),
            "can_record": can(self.membership, "people.record"),
        }


class CourseEditView(PeopleForm):
    permission = "people.manage"
    model = Course
    form_class = forms.CourseForm
    form_takes = ("organization", "initial")
    initial_fields = (*services.COURSE_FIELDS, "version")
    success_route = "people:training"
    success_pk = False

    def initial(self, obj: Course | None) -> dict[str, Any]:
        return super().initial(obj) if obj is not None else {"is_active": True}

    def page_title(self, obj: Course | None) -> Any:
        return obj or _("New course")

    def cancel(self, obj: Any) -> str:
        return _url("training", self.org)

    def act(self, obj: Course | None, form: Any) -> Course:
        version, data = versioned(form)
        return services.course_save(
            actor=acting_user(self.request),
            organization=self.org,
            course=obj,
            version=version,
            **data,
        )


class SessionPlanView(PeopleForm):
    permission = "people.record"
    form_class = forms.SessionForm
    title = gettext_lazy("Plan a training session")
    success_route = "people:session"
    success_message = gettext_lazy("The session is planned and the people invited.")

    def cancel(self, obj: Any) -> str:
        return _url("training", self.org)

    def initial(self, obj: None) -> dict[str, Any]:
        """From the gap list: a course that teaches the competence, the people to invite."""
        initial: dict[str, Any] = {}
        competence = self.request.GET.get("competence", "")
        if competence.isdigit():
            initial["course"] = (
                Course.objects.filter(
                    organization=self.org, is_active=True, competences=int(competence)
                )
                .order_by("title")
                .first()
            )
        invited = [v for v in self.request.GET.getlist("invited") if v.isdigit()]
        if invited:
            initial["invited"] = [int(v) for v in invited]
        return initial

    def act(self, obj: None, form: Any) -> TrainingSession:
        return services.session_plan(actor=acting_user(self.request), **form.cleaned_data)


def _sessions() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.select_related("course", "trainer")


class SessionDetailView(OrgView):
    permission = "people.view"

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        session = get_object_for(request, _sessions(), "people.view", pk=pk)
        attendances = list(
            visible_rows(self.membership, Attendance)
            .filter(session=session)
            .select_related("person__membership__user")
        )
        may_record = can(self.membership, "people.record")
        context = {
            "session": session,
            "attendances": attendances,
            "can_record": may_record and session.status != SessionStatus.CANCELLED,
            "can_evaluate": may_record and session.status == SessionStatus.HELD,
            "history": object_history(session),
            "own": next(
                (a for a in attendances if a.person.membership_id == self.membership.pk), None
            ),
        }
        return render(request, "people/session.html", context)


class AttendanceRecordView(PeopleForm, ConfirmView):
    """The trainer (or whoever records training) records a person's attendance and result."""

    permission = "people.record"
    form_class = forms.AttendanceForm
    success_route = "people:session"
    success_message = gettext_lazy("Attendance recorded.")

    def load(self, pk: int) -> TrainingSession:
        return get_object_for(self.request, _sessions(), self.permission, pk=pk)

    def initial(self, obj: TrainingSession) -> dict[str, Any]:
        return {"attended": True}

    def page_title(self, obj: TrainingSession) -> Any:
        return _("Record attendance: %(session)s") % {"session": obj}

    def cancel(self, obj: TrainingSession) -> str:
        return _url("session", self.org, pk=obj.pk)

    def act(self, obj: TrainingSession, form: Any) -> TrainingSession:
        data = form.cleaned_data
        try:
            services.attendance_record(
                actor=acting_user(self.request),
                session=obj,
                membership=data["membership"],
                attended=data["attended"],
                result=data["result"],
                score=data["score"],
                confirm_uninvited=data["confirm_uninvited"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            # The refusals about the person or the session's date belong next to the person.
            moved = {
                ("membership" if k in ("person", "held_on") else k): v
                for k, v in error.error_dict.items()
            }
            raise ValidationError(moved) from error
        return obj


class SessionEvaluateView(PeopleForm, ConfirmView):
    permission = "people.record"
    form_class = forms.EvaluateForm
    form_takes = ()
    success_route = "people:session"
    success_message = gettext_lazy("The evaluation of effectiveness was recorded.")

    def load(self, pk: int) -> TrainingSession:
        return get_object_for(self.request, _sessions(), self.permission, pk=pk)

    def initial(self, obj: TrainingSession) -> dict[str, Any]:
        return {
            **field_values(obj, ("evaluation_method", "version")),
            "evaluated_on": timezone.localdate(),
        }

    def page_title(self, obj: TrainingSession) -> Any:
        return _("Evaluate the effectiveness: %(session)s") % {"session": obj}

    def cancel(self, obj: TrainingSession) -> str:
        return _url("session", self.org, pk=obj.pk)

    def act(self, obj: TrainingSession, form: Any) -> TrainingSession:
        version, data = versioned(form)
        return services.session_evaluate(
            actor=acting_user(self.request), session=obj, expected_version=version, **data
        )


class AttendanceConfirmView(PeopleForm, ConfirmView):
    """The person confirms the attendance and result recorded for them."""

    permission = "people.confirm"
    form_class = forms.ConfirmForm
    form_takes = ()
    success_message = gettext_lazy("Thank you: your attendance is confirmed.")

    def load(self, pk: int) -> Attendance:
        return get_object_for(
            self.request,
            Attendance.objects.select_related("session__course", "person"),
            self.permission,
            pk=pk,
        )

    def page_title(self, obj: Attendance) -> Any:
        return _("Confirm your attendance: %(session)s") % {"session": obj.session}

    def cancel(self, obj: Attendance) -> str:
        return _url("session", self.org, pk=obj.session_id)

    def success_url(self, obj: Attendance) -> str:
        return self.cancel(obj)

    def act(self, obj: Attendance, form: Any) -> Attendance:
        return services.attendance_confirm(actor=acting_user(self.request), attendance=obj)


# Awareness (7.3) ------------------------------------------------------------------------


def _own_awareness(membership: Any) -> tuple[Person | None, Any]:
    """The viewer's person (if any) and their awareness: what concerns them, what they
    acknowledged. Someone without a profile yet is concerned by the items for everyone."""
    own = Person.objects.filter(membership=membership).first()
    if own is not None:
        return own, selectors.awareness_of(membership.organization, [own])[own.pk]
    items = [
        i
        for i in AwarenessItem.objects.filter(
            organization=membership.organization, is_active=True
        ).prefetch_related("job_roles")
        if not i.job_roles.all()
    ]
    return None, selectors.Awareness(items, {})


class AwarenessListView(ListView):
    """The awareness items, how many of the people each concerns acknowledged it, and the
    viewer's own acknowledgement."""

    permission = "people.view"
    template_name = "people/awareness_list.html"
    rows_template = "people/awareness_list.html"
    counted = True

    def rows(self, data: dict[str, Any]) -> QuerySet[AwarenessItem]:
        return (
            AwarenessItem.objects.filter(organization=self.org)
            .select_related("document")
            .prefetch_related("job_roles")
            .order_by("-is_active", "title", "pk")
        )

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        _own, mine = _own_awareness(self.membership)
        return {
            "progress": selectors.awareness_progress(self.org, list(page.object_list)),
            "mine": {i.pk for i in mine.items},
            "acknowledged": mine.acknowledged,
            "can_manage": can(self.membership, "people.manage"),
            "can_acknowledge": can(self.membership, "people.acknowledge"),
        }


class AwarenessDetailView(OrgView):
    """An awareness item: who acknowledged its current round and who has not yet (of the
    people the viewer may see)."""

    permission = "people.view"
    shown = 200

    def get(self, request: HttpRequest, org: str, pk: int) -> HttpResponse:
        item = get_object_for(
            request,
            AwarenessItem.objects.select_related("document").prefetch_related("job_roles"),
            "people.view",
            pk=pk,
        )
        progress = selectors.awareness_progress(self.org, [item])[0]
        audience = selectors.awareness_audience(item)
        seen = visible_rows(self.membership, Person).values("membership_id")
        acks = list(
            visible_rows(self.membership, Acknowledgement)
            .filter(item=item, round=item.round)
            .select_related("person__membership__user")
            .order_by("person__membership__user__full_name")[: self.shown]
        )
        done = {a.person.membership_id for a in acks}
        pending = list(
            audience.filter(pk__in=seen)
            .exclude(
                pk__in=Acknowledgement.objects.filter(item=item, round=item.round).values(
                    "person__membership_id"
                )
            )
            .select_related("user")
            .order_by("user__full_name")[: self.shown]
        )
        _own, mine = _own_awareness(self.membership)
        context = {
            "item": item,
            "covers": awareness.content_of(item),
            "progress": progress,
            "acks": acks,
            "pending": [m for m in pending if m.pk not in done],
            "mine": item.pk in {i.pk for i in mine.items},
            "acknowledged": mine.acknowledged.get(item.pk),
            "can_manage": can(self.membership, "people.manage"),
            "can_acknowledge": can(self.membership, "people.acknowledge"),
            "history": object_history(item),
        }
        return render(request, "people/awareness.html", context)


class AwarenessEditView(PeopleForm):
    permission = "people.manage"
    model = AwarenessItem
    form_class = forms.AwarenessItemForm
    form_takes = ("organization", "initial")
    initial_fields = (*services.AWARENESS_FIELDS, "version")
    success_route = "people:awareness"

    def initial(self, obj: AwarenessItem | None) -> dict[str, Any]:
        return super().initial(obj) if obj is not None else {"is_active": True}

    def page_title(self, obj: AwarenessItem | None) -> Any:
        return obj or _("New awareness item")

    def cancel(self, obj: Any) -> str:
        return _url("awareness_list", self.org)

    def act(self, obj: AwarenessItem | None, form: Any) -> AwarenessItem:
        version, data = versioned(form)
        return services.awareness_item_save(
            actor=acting_user(self.request),
            organization=self.org,
            item=obj,
            version=version,
            **data,
        )


class AwarenessAskAgainView(PeopleForm, ConfirmView):
    permission = "people.manage"
    model = AwarenessItem
    form_class = forms.ReasonForm
    form_takes = ()
    success_route = "people:awareness"
    success_message = gettext_lazy("Everyone it concerns is asked to acknowledge it again.")

    def page_title(self, obj: AwarenessItem) -> Any:
        return _("Ask again: %(item)s") % {"item": obj}

    def cancel(self, obj: AwarenessItem) -> str:
        return _url("awareness", self.org, pk=obj.pk)

    def initial(self, obj: AwarenessItem) -> dict[str, Any]:
        return {}

    def act(self, obj: AwarenessItem, form: Any) -> AwarenessItem:
        return services.awareness_ask_again(
            actor=acting_user(self.request), item=obj, reason=form.cleaned_data["reason"]
        )


class AwarenessAcknowledgeView(PeopleForm, ConfirmView):
    """The person acknowledges that they know the item."""

    permission = "people.acknowledge"
    model = AwarenessItem
    form_class = forms.ConfirmForm
    form_takes = ()
    success_message = gettext_lazy("Thank you: your acknowledgement is recorded.")

    def page_title(self, obj: AwarenessItem) -> Any:
        return _("Acknowledge: %(item)s") % {"item": obj}

    def cancel(self, obj: AwarenessItem) -> str:
        return _url("awareness", self.org, pk=obj.pk)

    def initial(self, obj: AwarenessItem) -> dict[str, Any]:
        return {}

    def success_url(self, obj: Any) -> str:
        return _url("awareness", self.org, pk=obj.item_id)

    def act(self, obj: AwarenessItem, form: Any) -> Any:
        return services.awareness_acknowledge(actor=acting_user(self.request), item=obj)


# The gap list ---------------------------------------------------------------------------


class GapListView(MatrixView):
    """Who needs what, by when: the matrix's cells that are not up to date (expiring soon
    included), grouped by competence, a page of people at a time; each group plans a training
    session for its people in one step."""

    template_name = "people/gaps.html"
    rows_template = "people/_gap_rows.html"

    def context(self, page: Any, data: dict[str, Any]) -> dict[str, Any]:
        people = list(page.object_list)
        grid = selectors.matrix(people, competence=data.get("competence"))
        groups: dict[int, dict[str, Any]] = {}
        for row in grid.rows:
            for competence, cell in row.items:
                if cell.state in (selectors.Cell.MET, selectors.Cell.NOT_REQUIRED):
                    continue
                group = groups.setdefault(
                    competence.pk, {"competence": competence, "gaps": [], "members": []}
                )
                group["gaps"].append((row.person, cell))
                if cell.state != selectors.Cell.IN_TRAINING:
                    group["members"].append(row.person.membership_id)
        for group in groups.values():
            group["plan"] = "&".join(
                [f"competence={group['competence'].pk}"]
                + [f"invited={m}" for m in group["members"]]
            )
        return {
            "groups": sorted(groups.values(), key=lambda g: g["competence"].name.lower()),
            "can_record": can(self.membership, "people.record"),
        }


class MatrixExportView(OrgView):
    """The competence matrix, filtered as the page, as a spreadsheet made on a worker."""

    permission = "people.view"

    def post(self, request: HttpRequest, org: str) -> HttpResponse:
        from pdca.core.views.jobs import start_job_response
        from pdca.people.exports import MATRIX_KIND, matrix_parameters

        return start_job_response(self, MATRIX_KIND, matrix_parameters(request.GET))
