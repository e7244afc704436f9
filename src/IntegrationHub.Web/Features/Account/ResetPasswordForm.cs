using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Web.Features.Account;

/// <summary>Choosing a password from an invitation (or reset) link: /account/reset?email=…&amp;token=…&amp;website=…&amp;role=….</summary>
public sealed record ResetPasswordForm
{
    [Required, EmailAddress, StringLength(256)]
    public string Email { get; init; } = string.Empty;

    [Required, StringLength(2000)]
    public string Token { get; init; } = string.Empty;

    /// <summary>The inviting website and role: an existing account's invitation is accepted here (see MemberInvitations).</summary>
    public Guid? Website { get; init; }

    [StringLength(20)]
    public string? Role { get; init; }

    [Required, DataType(DataType.Password), StringLength(200, MinimumLength = 12, ErrorMessage = "Passwords must be at least 12 characters.")]
    public string Password { get; init; } = string.Empty;

    [Required, DataType(DataType.Password), Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
    public string ConfirmPassword { get; init; } = string.Empty;
}
