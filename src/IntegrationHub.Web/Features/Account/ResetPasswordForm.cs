using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Web.Features.Account;

/// <summary>Choosing a password from an invitation (or reset) link: /account/reset?email=…&amp;token=….</summary>
public sealed record ResetPasswordForm
{
    [Required, EmailAddress, StringLength(256)]
    public string Email { get; init; } = string.Empty;

    [Required, StringLength(2000)]
    public string Token { get; init; } = string.Empty;

    [Required, DataType(DataType.Password), StringLength(200, MinimumLength = 12, ErrorMessage = "Passwords must be at least 12 characters.")]
    public string Password { get; init; } = string.Empty;

    [Required, DataType(DataType.Password), Compare(nameof(Password), ErrorMessage = "The two passwords differ.")]
    public string ConfirmPassword { get; init; } = string.Empty;
}
