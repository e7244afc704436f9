using IntegrationHub.Web.Features.Members;
using IntegrationHub.Web.Infrastructure.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace IntegrationHub.Web.Features.Account;

[Route("account")]
public sealed class AccountController(SignInManager<HubUser> signIn, UserManager<HubUser> users, MemberInvitations invitations, LoginThrottle throttle) : Controller
{
    [HttpGet("login"), AllowAnonymous]
    public IActionResult Login(string? returnUrl = null) => View(new LoginForm { ReturnUrl = returnUrl });

    [HttpPost("login"), AllowAnonymous]
    public async Task<IActionResult> Login(LoginForm form)
    {
        if (throttle.TryAttempt(HttpContext.Connection.RemoteIpAddress) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            ModelState.Clear();
            ModelState.AddModelError(string.Empty, $"Too many sign-in attempts from your network. Try again in {seconds} seconds.");
            return View(form with { Password = string.Empty });
        }

        if (!ModelState.IsValid)
        {
            return View(form);
        }

        var result = await signIn.PasswordSignInAsync(form.Email, form.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(form.ReturnUrl) ? form.ReturnUrl : "/");
        }

        // One message for unknown email, wrong password and lockout: the form must not reveal who has an account.
        ModelState.AddModelError(string.Empty, "Sign-in failed. Check your email and password, or try again in a few minutes.");
        return View(form with { Password = string.Empty });
    }

    [HttpPost("logout")]
    public async Task<IActionResult> Logout()
    {
        await signIn.SignOutAsync();
        return LocalRedirect("/account/login");
    }

    /// <summary>The one-time link an owner hands an invitee (see MembersController): choose a password.</summary>
    [HttpGet("reset"), AllowAnonymous]
    public IActionResult ResetPassword(string? email, string? token, Guid? website, string? role)
    {
        Response.Headers.CacheControl = "no-store";
        return View(new ResetPasswordForm { Email = email ?? string.Empty, Token = token ?? string.Empty, Website = website, Role = role });
    }

    [HttpPost("reset"), AllowAnonymous]
    public async Task<IActionResult> ResetPassword(ResetPasswordForm form)
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(form with { Password = string.Empty, ConfirmPassword = string.Empty });
        }

        // The password check inside an acceptance is a sign-in attempt: the same per-address throttle applies.
        if (throttle.TryAttempt(HttpContext.Connection.RemoteIpAddress) is not null)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            ModelState.AddModelError(string.Empty, "Too many attempts from your network. Try again in a minute.");
            return View(form with { Password = string.Empty, ConfirmPassword = string.Empty });
        }

        var user = await users.FindByEmailAsync(form.Email);
        var result = user is null ? IdentityResult.Failed() : await users.ResetPasswordAsync(user, form.Token, form.Password);
        if (result.Succeeded)
        {
            if (form.Website is { } invitedTo && invitedTo != Guid.Empty)
            {
                await invitations.CompleteAsync(user!, invitedTo);
            }

            // Not EmailConfirmed: the link went to whoever invited, not to the mailbox, so it proves nothing about it.
            return View("ResetPasswordDone");
        }

        if (user is not null && form.Website is { } website && Enum.TryParse<TenantRole>(form.Role, out var role) && Enum.IsDefined(role)
            && result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))
            && await invitations.AcceptAsync(user, form.Token, website, role, form.Password))
        {
            return View("ResetPasswordDone");
        }

        // Unknown email, used, expired or foreign token: one message. Password-rule failures (only reachable with a
        // valid token) are shown as they are.
        var invalidToken = user is null || result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken));
        if (invalidToken)
        {
            ModelState.AddModelError(string.Empty, "This link is not valid any more. If you already have an account, sign in with your password; otherwise ask an owner to invite you again.");
        }
        else
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(nameof(ResetPasswordForm.Password), error.Description);
            }
        }

        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View(form with { Password = string.Empty, ConfirmPassword = string.Empty });
    }

    [HttpGet("access-denied"), AllowAnonymous]
    public IActionResult AccessDenied()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return View();
    }
}
