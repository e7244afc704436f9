using System.ComponentModel.DataAnnotations;

namespace IntegrationHub.Web.Features.Account;

public sealed record LoginForm
{
    [Required, EmailAddress, StringLength(256)]
    public string Email { get; init; } = string.Empty;

    [Required, DataType(DataType.Password), StringLength(200)]
    public string Password { get; init; } = string.Empty;

    public string? ReturnUrl { get; init; }
}
