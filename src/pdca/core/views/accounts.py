"""Signing in and out, two-factor authentication, password reset, the profile and API tokens."""

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope

from pdca.core import services, throttle, trail
from pdca.core.access import user_memberships
from pdca.core.attention import summary_for
from pdca.core.forms import (
    ApiTokenForm,
    LoginForm,
    PasswordConfirmForm,
    ProfileForm,
    ThrottledPasswordChangeForm,
    TokenForm,
)
from pdca.core.language import user_set_language
from pdca.core.models import ApiToken, User
from pdca.core.selectors import recent_sign_ins
from pdca.core.views.base import account_view, acting_user, public_view
from pdca.core.views.forms import apply_errors

PENDING_USER = "pdca_pending_user"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("core:home")


def _locked(request: HttpRequest, wait: int) -> HttpResponse:
    response = render(
        request, "core/account/locked.html", {"wait": throttle.wait_text(wait)}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


@public_view
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        wait = throttle.wait_seconds(account=email)
        if wait:
            return _locked(request, wait)
        user = authenticate(request, email=email, password=form.cleaned_data["password"])
        if user is None:
            wait = throttle.failed(account=email)
            if wait:
                return _locked(request, wait)
            form.add_error(None, _("That e-mail and password do not match an active account."))
        elif TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            request.session[PENDING_USER] = user.pk
            request.session["pdca_pending_next"] = _next_url(request)
            return redirect("core:two_factor_verify")
        else:
            throttle.succeeded(account=email)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_next_url(request))
    return render(request, "core/account/login.html", {"form": form, "next": _next_url(request)})


@public_view
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in for accounts with an authenticator app."""
    user_id = request.session.get(PENDING_USER)
    if not user_id:
        return redirect("core:login")
    user = get_object_or_404(User, pk=user_id, is_active=True)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        wait = throttle.wait_seconds(account=user.email)
        if wait:
            return _locked(request, wait)
        device = next(
            (
                d
                for d in TOTPDevice.objects.filter(user=user, confirmed=True)
                if d.verify_token(form.cleaned_data["code"])
            ),
            None,
        )
        if device is None:
            trail.record(
                action="core.auth.login_failed",
                actor=None,
                organization=None,
                actor_label=user.email,
                changes={"email": [None, user.email]},
                reason="wrong two-factor code",
            )
            wait = throttle.failed(account=user.email)
            if wait:
                return _locked(request, wait)
            form.add_error("code", _("That code is not valid. Codes change every 30 seconds."))
        else:
            target = request.session.pop("pdca_pending_next", reverse("core:home"))
            request.session.pop(PENDING_USER, None)
            throttle.succeeded(account=user.email)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(target)
    return render(request, "core/account/two_factor_verify.html", {"form": form})


@require_POST
@account_view
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("core:login")


@account_view
def home(request: HttpRequest) -> HttpResponse:
    """After sign-in: straight to the only organization, or a summary of each of several."""
    memberships = user_memberships(request)
    if len(memberships) == 1:
        return redirect("core:dashboard", org=memberships[0].organization.slug)
    # A consultant's clients side by side: each one's figures and what is urgent there.
    rows = []
    for membership in memberships:
        with scope(organization=membership.organization):
            rows.append({"membership": membership, **summary_for(membership)})
    return render(request, "core/home.html", {"memberships": memberships, "rows": rows})


@account_view
def profile(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(
            actor=user,
            user=user,
            full_name=form.cleaned_data["full_name"],
            job_title=form.cleaned_data["job_title"],
        )
        user_set_language(actor=user, user=user, language=form.cleaned_data["language"])
        if user.language:
            translation.activate(user.language)  # the confirmation in the language just chosen
        messages.success(request, _("Your profile was saved."))
        return redirect("core:profile")
    context = {
        "form": form,
        "has_two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "tokens": ApiToken.objects.filter(user=user, revoked_at__isnull=True),
        "sign_ins": recent_sign_ins(user),
        "token_form": ApiTokenForm(),
    }
    return render(request, "core/account/profile.html", context)


@account_view
def password_change(request: HttpRequest) -> HttpResponse:
    form = ThrottledPasswordChangeForm(acting_user(request), request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            trail.record(
                action="core.auth.password_changed", actor=user, organization=None, obj=user
            )
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password was changed."))
        return redirect("core:profile")
    status = 429 if form.is_bound and form.has_error("old_password", "throttled") else 200
    return render(request, "core/account/password_change.html", {"form": form}, status=status)


def _totp_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#111")


@account_view
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed is not None:
        form = PasswordConfirmForm(request.POST or None)
        status = 200
        if request.method == "POST" and form.is_valid():
            try:
                correct = throttle.check_password(user=user, password=form.cleaned_data["password"])
            except throttle.PasswordThrottled as error:
                apply_errors(form, error)
                status = 429
            else:
                if not correct:
                    form.add_error("password", _("That is not your password."))
            if form.is_valid():
                with transaction.atomic():
                    TOTPDevice.objects.filter(user=user).delete()
                    trail.record(
                        action="core.auth.two_factor_disabled",
                        actor=user,
                        organization=None,
                        obj=user,
                    )
                messages.success(request, _("Two-factor sign-in is now off."))
                return redirect("core:profile")
        return render(request, "core/account/two_factor_on.html", {"form": form}, status=status)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None)  # type: ignore[assignment]
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save()
                trail.record(
                    action="core.auth.two_factor_enabled", actor=user, organization=None, obj=user
                )
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _("That code is not valid. Check the time on your phone."))
    context = {
        "form": form,
        "qr": _totp_svg(device),
        "secret": device.bin_key.hex(),
        "next": _next_url(request),
    }
    return render(request, "core/account/two_factor_setup.html", context)


@require_POST
@account_view
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        token, raw = services.api_token_create(
            actor=acting_user(request),
            name=form.cleaned_data["name"],
            expires_at=form.cleaned_data["expires_at"],
        )
        return render(request, "core/account/token_created.html", {"token": token, "raw": raw})
    messages.error(request, _("Give the token a name."))
    return redirect("core:profile")


@require_POST
@account_view
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    services.api_token_revoke(actor=acting_user(request), token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("core:profile")


class _ResetDone(auth_views.PasswordResetCompleteView):
    template_name = "core/account/password_reset_complete.html"


def _record_reset(form: Any) -> None:
    trail.record(
        action="core.auth.password_reset", actor=form.user, organization=None, obj=form.user
    )


class _ResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "core/account/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        _record_reset(form)
        return response


password_reset = public_view(
    auth_views.PasswordResetView.as_view(
        template_name="core/account/password_reset.html",
        email_template_name="core/account/password_reset_email.txt",
        subject_template_name="core/account/password_reset_subject.txt",
        success_url=reverse_lazy("core:password_reset_done"),
    )
)
password_reset_done = public_view(
    auth_views.PasswordResetDoneView.as_view(template_name="core/account/password_reset_done.html")
)
password_reset_confirm = public_view(_ResetConfirm.as_view())
password_reset_complete = public_view(_ResetDone.as_view())
