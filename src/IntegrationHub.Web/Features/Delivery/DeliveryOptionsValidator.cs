using Microsoft.Extensions.Options;

namespace IntegrationHub.Web.Features.Delivery;

/// <summary>Start-up fails with every problem of the <c>Delivery:*</c> settings named, not a generic "invalid".</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
