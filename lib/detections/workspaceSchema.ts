/**
 * The Log Analytics workspace tables the detections read, declared once for the analyzer, the
 * evaluator and the local log. Column names and types follow the Azure Monitor table reference
 * pages ("AppEvents", "AppRequests", "AppServiceHTTPLogs"); columns without a type there are
 * strings.
 */

/** A Kusto scalar type name as it appears in schemas and query results. */
export type KqlTypeName =
  | 'bool'
  | 'datetime'
  | 'decimal'
  | 'dynamic'
  | 'guid'
  | 'int'
  | 'long'
  | 'real'
  | 'string'
  | 'timespan';

export interface ColumnSchema {
  readonly name: string;
  readonly type: KqlTypeName;
}

export type WorkspaceTableName = 'AppEvents' | 'AppRequests' | 'AppServiceHTTPLogs';

function columns(spec: string): readonly ColumnSchema[] {
  return spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const [name = '', type = 'string'] = entry.split(':');
      return { name, type: type as KqlTypeName };
    });
}

// The application-insights columns every App* table shares.
const appCommon =
  'AppRoleInstance, AppRoleName, AppVersion, _BilledSize:real, ClientBrowser, ClientCity, ' +
  'ClientCountryOrRegion, ClientIP, ClientModel, ClientOS, ClientStateOrProvince, ClientType, IKey, ' +
  '_IsBillable, ItemCount:int, Measurements:dynamic, Name, OperationId, OperationName, ParentId, ' +
  'Properties:dynamic, ResourceGUID, _ResourceId, SDKVersion, SessionId, SourceSystem, ' +
  '_SubscriptionId, SyntheticSource, TenantId, TimeGenerated:datetime, Type, UserAccountId, ' +
  'UserAuthenticatedId, UserId';

/** Every workspace table a detection may read, by name. */
export const workspaceTables: Readonly<Record<WorkspaceTableName, readonly ColumnSchema[]>> = {
  AppEvents: columns(appCommon),
  AppRequests: columns(
    `${appCommon}, DurationMs:real, Id, PerformanceBucket, ReferencedItemId, ReferencedType, ` +
      'ResultCode:string, Source, Success:bool, Url',
  ),
  AppServiceHTTPLogs: columns(
    '_BilledSize:real, CIp, ComputerName, Cookie, CsBytes:int, CsHost, CsMethod, CsUriQuery, ' +
      'CsUriStem, CsUsername, _IsBillable, Referer, _ResourceId, Result, ScBytes:int, ScStatus:int, ' +
      'ScSubStatus, ScWin32Status, SourceSystem, SPort, _SubscriptionId, TenantId, ' +
      'TimeGenerated:datetime, TimeTaken:int, Type, UserAgent',
  ),
};

/** True when `name` is one of the declared workspace tables. */
export function isWorkspaceTableName(name: string): name is WorkspaceTableName {
  return Object.hasOwn(workspaceTables, name);
}
