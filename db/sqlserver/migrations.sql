IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [AspNetRoles] (
        [Id] nvarchar(450) NOT NULL,
        [Name] nvarchar(256) NULL,
        [NormalizedName] nvarchar(256) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoles] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [AspNetUsers] (
        [Id] nvarchar(450) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UserName] nvarchar(256) NULL,
        [NormalizedUserName] nvarchar(256) NULL,
        [Email] nvarchar(256) NULL,
        [NormalizedEmail] nvarchar(256) NULL,
        [EmailConfirmed] bit NOT NULL,
        [PasswordHash] nvarchar(max) NULL,
        [SecurityStamp] nvarchar(max) NULL,
        [ConcurrencyStamp] nvarchar(max) NULL,
        [PhoneNumber] nvarchar(max) NULL,
        [PhoneNumberConfirmed] bit NOT NULL,
        [TwoFactorEnabled] bit NOT NULL,
        [LockoutEnd] datetimeoffset NULL,
        [LockoutEnabled] bit NOT NULL,
        [AccessFailedCount] int NOT NULL,
        CONSTRAINT [PK_AspNetUsers] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [tenants] (
        [Id] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Domain] nvarchar(253) NULL,
        [Status] nvarchar(20) NOT NULL,
        [SubscriptionToken] nvarchar(1000) NULL,
        [SettingsJson] nvarchar(max) NOT NULL,
        [InstalledAt] datetimeoffset NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [UninstalledAt] datetimeoffset NULL,
        CONSTRAINT [PK_tenants] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [AspNetRoleClaims] (
        [Id] int NOT NULL IDENTITY,
        [RoleId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetRoleClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetRoleClaims_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [AspNetUserClaims] (
        [Id] int NOT NULL IDENTITY,
        [UserId] nvarchar(450) NOT NULL,
        [ClaimType] nvarchar(max) NULL,
        [ClaimValue] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserClaims] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_AspNetUserClaims_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [AspNetUserLogins] (
        [LoginProvider] nvarchar(450) NOT NULL,
        [ProviderKey] nvarchar(450) NOT NULL,
        [ProviderDisplayName] nvarchar(max) NULL,
        [UserId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserLogins] PRIMARY KEY ([LoginProvider], [ProviderKey]),
        CONSTRAINT [FK_AspNetUserLogins_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [AspNetUserRoles] (
        [UserId] nvarchar(450) NOT NULL,
        [RoleId] nvarchar(450) NOT NULL,
        CONSTRAINT [PK_AspNetUserRoles] PRIMARY KEY ([UserId], [RoleId]),
        CONSTRAINT [FK_AspNetUserRoles_AspNetRoles_RoleId] FOREIGN KEY ([RoleId]) REFERENCES [AspNetRoles] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_AspNetUserRoles_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [AspNetUserTokens] (
        [UserId] nvarchar(450) NOT NULL,
        [LoginProvider] nvarchar(450) NOT NULL,
        [Name] nvarchar(450) NOT NULL,
        [Value] nvarchar(max) NULL,
        CONSTRAINT [PK_AspNetUserTokens] PRIMARY KEY ([UserId], [LoginProvider], [Name]),
        CONSTRAINT [FK_AspNetUserTokens_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [api_keys] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Prefix] nvarchar(32) NOT NULL,
        [SecretHash] nvarchar(64) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [LastUsedAt] datetimeoffset NULL,
        [RevokedAt] datetimeoffset NULL,
        CONSTRAINT [PK_api_keys] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_api_keys_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE TABLE [tenant_memberships] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [UserId] nvarchar(450) NOT NULL,
        [Role] nvarchar(20) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_tenant_memberships] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_tenant_memberships_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_tenant_memberships_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE UNIQUE INDEX [IX_api_keys_Prefix] ON [api_keys] ([Prefix]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_api_keys_TenantId_CreatedAt] ON [api_keys] ([TenantId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_AspNetRoleClaims_RoleId] ON [AspNetRoleClaims] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [RoleNameIndex] ON [AspNetRoles] ([NormalizedName]) WHERE [NormalizedName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_AspNetUserClaims_UserId] ON [AspNetUserClaims] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_AspNetUserLogins_UserId] ON [AspNetUserLogins] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_AspNetUserRoles_RoleId] ON [AspNetUserRoles] ([RoleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE INDEX [EmailIndex] ON [AspNetUsers] ([NormalizedEmail]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [UserNameIndex] ON [AspNetUsers] ([NormalizedUserName]) WHERE [NormalizedUserName] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE UNIQUE INDEX [IX_tenant_memberships_TenantId_UserId] ON [tenant_memberships] ([TenantId], [UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_tenant_memberships_UserId] ON [tenant_memberships] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_tenants_Status] ON [tenants] ([Status]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125085012_InitialCreate'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125085012_InitialCreate', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    DECLARE @var nvarchar(max);
    SELECT @var = QUOTENAME([d].[name])
    FROM [sys].[default_constraints] [d]
    INNER JOIN [sys].[columns] [c] ON [d].[parent_column_id] = [c].[column_id] AND [d].[parent_object_id] = [c].[object_id]
    WHERE ([d].[parent_object_id] = OBJECT_ID(N'[tenants]') AND [c].[name] = N'SubscriptionToken');
    IF @var IS NOT NULL EXEC(N'ALTER TABLE [tenants] DROP CONSTRAINT ' + @var + ';');
    ALTER TABLE [tenants] DROP COLUMN [SubscriptionToken];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    ALTER TABLE [tenants] ADD [Source] nvarchar(20) NOT NULL DEFAULT N'';
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    CREATE TABLE [hook_inbox] (
        [Id] bigint NOT NULL IDENTITY,
        [DedupKey] nvarchar(64) NOT NULL,
        [WebsiteId] uniqueidentifier NULL,
        [Event] nvarchar(100) NOT NULL,
        [Payload] nvarchar(max) NOT NULL,
        [ReceivedAt] datetimeoffset NOT NULL,
        [ProcessedAt] datetimeoffset NULL,
        [Attempts] int NOT NULL,
        [NextAttemptAt] datetimeoffset NULL,
        [LastError] nvarchar(2000) NULL,
        [Outcome] nvarchar(20) NULL,
        CONSTRAINT [PK_hook_inbox] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    CREATE TABLE [plugin_sync_state] (
        [Id] nvarchar(20) NOT NULL,
        [LastFullSyncStartedAt] datetimeoffset NULL,
        [LastSuccessfulSyncStartedAt] datetimeoffset NULL,
        CONSTRAINT [PK_plugin_sync_state] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    CREATE TABLE [tenant_data_keys] (
        [TenantId] uniqueidentifier NOT NULL,
        [WrappedKey] nvarchar(4000) NOT NULL,
        [KekId] nvarchar(500) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [RewrappedAt] datetimeoffset NULL,
        CONSTRAINT [PK_tenant_data_keys] PRIMARY KEY ([TenantId]),
        CONSTRAINT [FK_tenant_data_keys_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    CREATE TABLE [tenant_secrets] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Ciphertext] nvarchar(max) NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_tenant_secrets] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_tenant_secrets_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    CREATE UNIQUE INDEX [IX_hook_inbox_DedupKey] ON [hook_inbox] ([DedupKey]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    CREATE INDEX [IX_hook_inbox_ProcessedAt_NextAttemptAt] ON [hook_inbox] ([ProcessedAt], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    CREATE INDEX [IX_tenant_data_keys_KekId] ON [tenant_data_keys] ([KekId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    CREATE UNIQUE INDEX [IX_tenant_secrets_TenantId_Name] ON [tenant_secrets] ([TenantId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125090244_InstallationsCredentialsHooks'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125090244_InstallationsCredentialsHooks', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE TABLE [crisp_calls] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [Kind] nvarchar(50) NOT NULL,
        [Payload] nvarchar(max) NOT NULL,
        [OrderingKey] nvarchar(320) NULL,
        [EventId] uniqueidentifier NULL,
        [RuleVersionId] uniqueidentifier NULL,
        [Status] nvarchar(20) NOT NULL,
        [Attempts] int NOT NULL,
        [NextAttemptAt] datetimeoffset NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [CompletedAt] datetimeoffset NULL,
        [LeaseOwner] nvarchar(200) NULL,
        [LeaseExpiresAt] datetimeoffset NULL,
        [LastHttpStatus] int NULL,
        [LastReason] nvarchar(100) NULL,
        [LastError] nvarchar(2000) NULL,
        CONSTRAINT [PK_crisp_calls] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_crisp_calls_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE TABLE [crisp_call_attempts] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [CallId] bigint NOT NULL,
        [Number] int NOT NULL,
        [StartedAt] datetimeoffset NOT NULL,
        [DurationMs] int NOT NULL,
        [Outcome] nvarchar(20) NOT NULL,
        [HttpStatus] int NULL,
        [Reason] nvarchar(100) NULL,
        [Request] nvarchar(max) NULL,
        [Response] nvarchar(4000) NULL,
        CONSTRAINT [PK_crisp_call_attempts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_crisp_call_attempts_crisp_calls_CallId] FOREIGN KEY ([CallId]) REFERENCES [crisp_calls] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE INDEX [IX_crisp_call_attempts_CallId] ON [crisp_call_attempts] ([CallId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE INDEX [IX_crisp_call_attempts_TenantId_CallId_Number] ON [crisp_call_attempts] ([TenantId], [CallId], [Number]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE INDEX [IX_crisp_calls_Status_NextAttemptAt] ON [crisp_calls] ([Status], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE INDEX [IX_crisp_calls_TenantId_CreatedAt] ON [crisp_calls] ([TenantId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE INDEX [IX_crisp_calls_TenantId_EventId] ON [crisp_calls] ([TenantId], [EventId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE INDEX [IX_crisp_calls_TenantId_OrderingKey_Id] ON [crisp_calls] ([TenantId], [OrderingKey], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    CREATE INDEX [IX_crisp_calls_TenantId_Status_NextAttemptAt_Id] ON [crisp_calls] ([TenantId], [Status], [NextAttemptAt], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125091145_DeliveryOutbox'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125091145_DeliveryOutbox', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092211_AddDeliveryEngine'
)
BEGIN
    ALTER TABLE [crisp_calls] ADD [FailedAttempts] int NOT NULL DEFAULT 0;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092211_AddDeliveryEngine'
)
BEGIN
    CREATE TABLE [crisp_people] (
        [TenantId] uniqueidentifier NOT NULL,
        [Email] nvarchar(320) NOT NULL,
        [PeopleId] nvarchar(100) NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_crisp_people] PRIMARY KEY ([TenantId], [Email]),
        CONSTRAINT [FK_crisp_people_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092211_AddDeliveryEngine'
)
BEGIN
    CREATE TABLE [plugin_quota] (
        [Day] date NOT NULL,
        [Used] int NOT NULL,
        [PausedAt] datetimeoffset NULL,
        CONSTRAINT [PK_plugin_quota] PRIMARY KEY ([Day])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092211_AddDeliveryEngine'
)
BEGIN
    CREATE TABLE [tenant_delivery_state] (
        [TenantId] uniqueidentifier NOT NULL,
        [Version] bigint NOT NULL,
        [WindowLog] nvarchar(max) NOT NULL,
        [BudgetFactor] float NOT NULL,
        [FactorUpdatedAt] datetimeoffset NULL,
        [BackoffUntil] datetimeoffset NULL,
        [ConsecutiveRateLimits] int NOT NULL,
        [NextPermitAt] datetimeoffset NULL,
        [DrainOwner] nvarchar(200) NULL,
        [DrainLeaseUntil] datetimeoffset NULL,
        [LastDrainAt] datetimeoffset NULL,
        CONSTRAINT [PK_tenant_delivery_state] PRIMARY KEY ([TenantId]),
        CONSTRAINT [FK_tenant_delivery_state_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092211_AddDeliveryEngine'
)
BEGIN
    CREATE INDEX [IX_tenant_delivery_state_LastDrainAt] ON [tenant_delivery_state] ([LastDrainAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092211_AddDeliveryEngine'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125092211_AddDeliveryEngine', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE TABLE [contacts] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Email] nvarchar(254) NOT NULL,
        [Profile] nvarchar(max) NOT NULL,
        [Data] nvarchar(max) NOT NULL,
        [Context] nvarchar(max) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_contacts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_contacts_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE TABLE [idempotency_records] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Key] nvarchar(255) NOT NULL,
        [RequestHash] nvarchar(64) NOT NULL,
        [StatusCode] int NOT NULL,
        [ResponseBody] nvarchar(max) NOT NULL,
        [Location] nvarchar(300) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_idempotency_records] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_idempotency_records_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE TABLE [product_events] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [Email] nvarchar(254) NULL,
        [UserId] nvarchar(128) NULL,
        [Properties] nvarchar(max) NOT NULL,
        [OccurredAt] datetimeoffset NOT NULL,
        [AcceptedAt] datetimeoffset NOT NULL,
        [MessageId] nvarchar(128) NULL,
        [ContentHash] nvarchar(64) NOT NULL,
        CONSTRAINT [PK_product_events] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_product_events_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE UNIQUE INDEX [IX_contacts_TenantId_Email] ON [contacts] ([TenantId], [Email]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE INDEX [IX_contacts_TenantId_UpdatedAt] ON [contacts] ([TenantId], [UpdatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE INDEX [IX_idempotency_records_ExpiresAt] ON [idempotency_records] ([ExpiresAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE UNIQUE INDEX [IX_idempotency_records_TenantId_Key] ON [idempotency_records] ([TenantId], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE INDEX [IX_product_events_TenantId_AcceptedAt] ON [product_events] ([TenantId], [AcceptedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    CREATE INDEX [IX_product_events_TenantId_Email_OccurredAt] ON [product_events] ([TenantId], [Email], [OccurredAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_product_events_TenantId_MessageId] ON [product_events] ([TenantId], [MessageId]) WHERE [MessageId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125092320_AddEventsContactsIdempotency'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125092320_AddEventsContactsIdempotency', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125093905_AddRules'
)
BEGIN
    CREATE TABLE [rules] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Enabled] bit NOT NULL,
        [CurrentVersionId] uniqueidentifier NOT NULL,
        [CurrentVersion] int NOT NULL,
        [Preset] nvarchar(50) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_rules] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_rules_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125093905_AddRules'
)
BEGIN
    CREATE TABLE [rule_versions] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [RuleId] uniqueidentifier NOT NULL,
        [Version] int NOT NULL,
        [Definition] nvarchar(max) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [CreatedBy] nvarchar(256) NULL,
        CONSTRAINT [PK_rule_versions] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_rule_versions_rules_RuleId] FOREIGN KEY ([RuleId]) REFERENCES [rules] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125093905_AddRules'
)
BEGIN
    CREATE INDEX [IX_rule_versions_RuleId] ON [rule_versions] ([RuleId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125093905_AddRules'
)
BEGIN
    CREATE UNIQUE INDEX [IX_rule_versions_TenantId_RuleId_Version] ON [rule_versions] ([TenantId], [RuleId], [Version]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125093905_AddRules'
)
BEGIN
    CREATE INDEX [IX_rules_TenantId_Name] ON [rules] ([TenantId], [Name]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125093905_AddRules'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125093905_AddRules', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125094213_AddAuditLog'
)
BEGIN
    CREATE TABLE [audit_entries] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [At] datetimeoffset NOT NULL,
        [Actor] nvarchar(256) NOT NULL,
        [Action] nvarchar(50) NOT NULL,
        [Target] nvarchar(300) NULL,
        [Details] nvarchar(2000) NULL,
        CONSTRAINT [PK_audit_entries] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_audit_entries_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125094213_AddAuditLog'
)
BEGIN
    CREATE INDEX [IX_audit_entries_TenantId_At] ON [audit_entries] ([TenantId], [At]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125094213_AddAuditLog'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125094213_AddAuditLog', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104201_AddRelay'
)
BEGIN
    CREATE TABLE [relay_endpoints] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Url] nvarchar(2000) NOT NULL,
        [EventFilter] nvarchar(4000) NOT NULL,
        [Enabled] bit NOT NULL,
        [DisabledReason] nvarchar(500) NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [FailingSince] datetimeoffset NULL,
        [PreviousSecretExpiresAt] datetimeoffset NULL,
        CONSTRAINT [PK_relay_endpoints] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_relay_endpoints_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104201_AddRelay'
)
BEGIN
    CREATE TABLE [relay_deliveries] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [EndpointId] uniqueidentifier NOT NULL,
        [HookEntryId] bigint NULL,
        [Event] nvarchar(200) NOT NULL,
        [Payload] nvarchar(max) NOT NULL,
        [WebhookId] nvarchar(64) NOT NULL,
        [Status] nvarchar(16) NOT NULL,
        [Attempts] int NOT NULL,
        [NextAttemptAt] datetimeoffset NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [LastAttemptAt] datetimeoffset NULL,
        [LastStatus] int NULL,
        [LatencyMs] bigint NULL,
        [ResponseExcerpt] nvarchar(500) NULL,
        CONSTRAINT [PK_relay_deliveries] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_relay_deliveries_relay_endpoints_EndpointId] FOREIGN KEY ([EndpointId]) REFERENCES [relay_endpoints] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104201_AddRelay'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_relay_deliveries_EndpointId_HookEntryId] ON [relay_deliveries] ([EndpointId], [HookEntryId]) WHERE [HookEntryId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104201_AddRelay'
)
BEGIN
    CREATE INDEX [IX_relay_deliveries_Status_NextAttemptAt] ON [relay_deliveries] ([Status], [NextAttemptAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104201_AddRelay'
)
BEGIN
    CREATE INDEX [IX_relay_deliveries_TenantId_EndpointId_CreatedAt] ON [relay_deliveries] ([TenantId], [EndpointId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104201_AddRelay'
)
BEGIN
    CREATE INDEX [IX_relay_endpoints_TenantId] ON [relay_endpoints] ([TenantId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104201_AddRelay'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125104201_AddRelay', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104828_AddHookReactions'
)
BEGIN
    CREATE TABLE [auto_reply_rules] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Position] int NOT NULL,
        [Enabled] bit NOT NULL,
        [Name] nvarchar(200) NOT NULL,
        [Trigger] nvarchar(40) NOT NULL,
        [TextContains] nvarchar(500) NULL,
        [TimeZone] nvarchar(100) NULL,
        [Days] nvarchar(20) NULL,
        [FromMinute] int NULL,
        [ToMinute] int NULL,
        [ReplyText] nvarchar(4000) NOT NULL,
        [WindowMinutes] int NOT NULL,
        [CapPerHour] int NOT NULL,
        CONSTRAINT [PK_auto_reply_rules] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_auto_reply_rules_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104828_AddHookReactions'
)
BEGIN
    CREATE TABLE [conversation_states] (
        [TenantId] uniqueidentifier NOT NULL,
        [SessionId] nvarchar(100) NOT NULL,
        [State] nvarchar(40) NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        [LastOperatorMessageAt] datetimeoffset NULL,
        [LastAutoReplyAt] datetimeoffset NULL,
        [LastHubMessageDeliveredAt] datetimeoffset NULL,
        CONSTRAINT [PK_conversation_states] PRIMARY KEY ([TenantId], [SessionId]),
        CONSTRAINT [FK_conversation_states_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104828_AddHookReactions'
)
BEGIN
    CREATE INDEX [IX_auto_reply_rules_TenantId_Position] ON [auto_reply_rules] ([TenantId], [Position]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104828_AddHookReactions'
)
BEGIN
    CREATE INDEX [IX_conversation_states_TenantId_LastAutoReplyAt] ON [conversation_states] ([TenantId], [LastAutoReplyAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125104828_AddHookReactions'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125104828_AddHookReactions', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    ALTER TABLE [relay_deliveries] ADD [ClaimedBy] nvarchar(100) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    ALTER TABLE [relay_deliveries] ADD [LeaseUntil] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    ALTER TABLE [relay_deliveries] ADD [ReplayOfId] uniqueidentifier NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    ALTER TABLE [crisp_calls] ADD [MessageFingerprint] bigint NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    CREATE TABLE [auto_reply_slots] (
        [TenantId] uniqueidentifier NOT NULL,
        [Slot] int NOT NULL,
        [UsedAt] datetimeoffset NULL,
        CONSTRAINT [PK_auto_reply_slots] PRIMARY KEY ([TenantId], [Slot]),
        CONSTRAINT [FK_auto_reply_slots_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    CREATE TABLE [relay_delivery_attempts] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [DeliveryId] uniqueidentifier NOT NULL,
        [Number] int NOT NULL,
        [StartedAt] datetimeoffset NOT NULL,
        [StatusCode] int NULL,
        [Error] nvarchar(500) NULL,
        [LatencyMs] bigint NOT NULL,
        [ResponseExcerpt] nvarchar(500) NULL,
        CONSTRAINT [PK_relay_delivery_attempts] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_relay_delivery_attempts_relay_deliveries_DeliveryId] FOREIGN KEY ([DeliveryId]) REFERENCES [relay_deliveries] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    CREATE INDEX [IX_crisp_calls_TenantId_MessageFingerprint] ON [crisp_calls] ([TenantId], [MessageFingerprint]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    CREATE INDEX [IX_relay_delivery_attempts_DeliveryId] ON [relay_delivery_attempts] ([DeliveryId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    CREATE INDEX [IX_relay_delivery_attempts_TenantId_DeliveryId_Number] ON [relay_delivery_attempts] ([TenantId], [DeliveryId], [Number]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125114955_RelayClaimsAttemptsAutoReplySlots'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125114955_RelayClaimsAttemptsAutoReplySlots', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125115524_AddHelpdesk'
)
BEGIN
    CREATE TABLE [helpdesk_articles] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Locale] nvarchar(16) NOT NULL,
        [ContentType] nvarchar(16) NOT NULL,
        [FolderPath] nvarchar(404) NOT NULL,
        [Slug] nvarchar(100) NOT NULL,
        [Title] nvarchar(300) NOT NULL,
        [Description] nvarchar(1000) NULL,
        [Markdown] nvarchar(max) NOT NULL,
        [Published] bit NOT NULL,
        [Hidden] bit NOT NULL,
        [Featured] bit NOT NULL,
        [Position] int NULL,
        [RemoteContentHash] nvarchar(64) NULL,
        [PublishedContentHash] nvarchar(64) NULL,
        [RemoteCheckedAt] datetimeoffset NULL,
        [PublishedAt] datetimeoffset NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [UpdatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_helpdesk_articles] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_helpdesk_articles_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125115524_AddHelpdesk'
)
BEGIN
    CREATE TABLE [helpdesk_syncs] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [Source] nvarchar(16) NOT NULL,
        [StartedBy] nvarchar(256) NULL,
        [Prune] bit NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_helpdesk_syncs] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_helpdesk_syncs_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125115524_AddHelpdesk'
)
BEGIN
    CREATE TABLE [helpdesk_sync_items] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [SyncId] uniqueidentifier NOT NULL,
        [Locale] nvarchar(16) NOT NULL,
        [ContentType] nvarchar(16) NOT NULL,
        [Path] nvarchar(468) NOT NULL,
        [Action] nvarchar(24) NOT NULL,
        [Detail] nvarchar(1000) NULL,
        [CallIds] nvarchar(400) NOT NULL,
        CONSTRAINT [PK_helpdesk_sync_items] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_helpdesk_sync_items_helpdesk_syncs_SyncId] FOREIGN KEY ([SyncId]) REFERENCES [helpdesk_syncs] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125115524_AddHelpdesk'
)
BEGIN
    CREATE UNIQUE INDEX [IX_helpdesk_articles_TenantId_Locale_ContentType_FolderPath_Slug] ON [helpdesk_articles] ([TenantId], [Locale], [ContentType], [FolderPath], [Slug]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125115524_AddHelpdesk'
)
BEGIN
    CREATE INDEX [IX_helpdesk_sync_items_SyncId] ON [helpdesk_sync_items] ([SyncId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125115524_AddHelpdesk'
)
BEGIN
    CREATE INDEX [IX_helpdesk_sync_items_TenantId_SyncId] ON [helpdesk_sync_items] ([TenantId], [SyncId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125115524_AddHelpdesk'
)
BEGIN
    CREATE INDEX [IX_helpdesk_syncs_TenantId_CreatedAt] ON [helpdesk_syncs] ([TenantId], [CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125115524_AddHelpdesk'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125115524_AddHelpdesk', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125142716_DropUnusedProductEventEmailIndex'
)
BEGIN
    DROP INDEX [IX_product_events_TenantId_Email_OccurredAt] ON [product_events];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125142716_DropUnusedProductEventEmailIndex'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125142716_DropUnusedProductEventEmailIndex', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206132829_ProductEventsWithoutTenantForeignKey'
)
BEGIN
    ALTER TABLE [product_events] DROP CONSTRAINT [FK_product_events_tenants_TenantId];
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261206132829_ProductEventsWithoutTenantForeignKey'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261206132829_ProductEventsWithoutTenantForeignKey', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207034815_HelpdeskSyncItemInputName'
)
BEGIN
    ALTER TABLE [helpdesk_sync_items] ADD [PathIsInputName] bit NOT NULL DEFAULT CAST(0 AS bit);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207034815_HelpdeskSyncItemInputName'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207034815_HelpdeskSyncItemInputName', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207035659_MemberInvitations'
)
BEGIN
    CREATE TABLE [member_invitations] (
        [Id] uniqueidentifier NOT NULL,
        [TenantId] uniqueidentifier NOT NULL,
        [UserId] nvarchar(450) NOT NULL,
        [Email] nvarchar(256) NOT NULL,
        [Role] nvarchar(20) NOT NULL,
        [NewAccount] bit NOT NULL,
        [InvitedBy] nvarchar(256) NOT NULL,
        [CreatedAt] datetimeoffset NOT NULL,
        [ExpiresAt] datetimeoffset NOT NULL,
        CONSTRAINT [PK_member_invitations] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_member_invitations_AspNetUsers_UserId] FOREIGN KEY ([UserId]) REFERENCES [AspNetUsers] ([Id]) ON DELETE CASCADE,
        CONSTRAINT [FK_member_invitations_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207035659_MemberInvitations'
)
BEGIN
    CREATE UNIQUE INDEX [IX_member_invitations_TenantId_UserId] ON [member_invitations] ([TenantId], [UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207035659_MemberInvitations'
)
BEGIN
    CREATE INDEX [IX_member_invitations_UserId] ON [member_invitations] ([UserId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207035659_MemberInvitations'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207035659_MemberInvitations', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207110305_PluginSyncStateCrispBaseUrl'
)
BEGIN
    ALTER TABLE [plugin_sync_state] ADD [CrispBaseUrl] nvarchar(400) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207110305_PluginSyncStateCrispBaseUrl'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207110305_PluginSyncStateCrispBaseUrl', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207150943_ConversationStateChangedAt'
)
BEGIN
    ALTER TABLE [conversation_states] ADD [StateChangedAt] datetimeoffset NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207150943_ConversationStateChangedAt'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207150943_ConversationStateChangedAt', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207173829_EventRuleProblems'
)
BEGIN
    CREATE TABLE [event_rule_problems] (
        [Id] bigint NOT NULL IDENTITY,
        [TenantId] uniqueidentifier NOT NULL,
        [EventId] uniqueidentifier NOT NULL,
        [RuleVersionId] uniqueidentifier NOT NULL,
        [Rule] nvarchar(200) NOT NULL,
        [Version] int NOT NULL,
        [Reason] nvarchar(1000) NOT NULL,
        CONSTRAINT [PK_event_rule_problems] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_event_rule_problems_tenants_TenantId] FOREIGN KEY ([TenantId]) REFERENCES [tenants] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207173829_EventRuleProblems'
)
BEGIN
    CREATE INDEX [IX_event_rule_problems_TenantId_EventId] ON [event_rule_problems] ([TenantId], [EventId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261207173829_EventRuleProblems'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261207173829_EventRuleProblems', N'10.0.15');
END;

COMMIT;
GO

