using Microsoft.Data.Sqlite;
using Npgsql;

namespace IntegrationHub.Web.Infrastructure.Data;

/// <summary>Tells "a unique index refused a row" apart from every other failure, on each provider the hub runs on.</summary>
public static class UniqueKeyViolation
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public static bool Is(Exception exception)
    {
        // EF wraps what SaveChanges hits in a DbUpdateException; raw commands throw the provider's own.
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }:
                case SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey }:
                case Microsoft.Data.SqlClient.SqlException { Number: 2601 or 2627 }:
                    return true;
            }
        }

        return false;
    }
}
