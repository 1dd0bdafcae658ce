namespace CrdKit.Validation;

/// <summary>An object that can report its schema violations into a shared context.</summary>
public interface IValidatable
{
    /// <summary>Adds this object's violations under <paramref name="path"/>.</summary>
    /// <param name="context">Collects violations.</param>
    /// <param name="path">The object's JSON path.</param>
    void Validate(ValidationContext context, string path);
}
