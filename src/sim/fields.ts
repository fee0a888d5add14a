// #Fields lists of the Exchange CSV logs the simulator writes.
// HttpProxy and ECP lists are the published ones (research exchange-detections.md §5.4, §5.5).
// EWS, Rps_Cmdlet, Rps_Http and message tracking are partly published (§5.6); where a list is cut short
// ("…") in the sources the tail below is [assumed], and readers must map columns by the file's own #Fields.

export const HTTPPROXY_FIELDS = (
  'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,' +
  'UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,' +
  'ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,' +
  'TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,' +
  'ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,' +
  'GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,' +
  'ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,' +
  'TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,' +
  'BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,' +
  'BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,' +
  'RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,' +
  'TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,' +
  'DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus'
).split(',');

export const ECP_FIELDS = ['TimeStamp', 'ServerName', 'EventId', 'EventData'];

export const EWS_FIELDS = (
  'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,Ring,ClientRequestId,AuthenticationType,' +
  'IsAuthenticated,AuthenticatedUser,Organization,UserAgent,VersionInfo,ClientIpAddress,ServerHostName,FrontEndServer,' +
  'SoapAction,HttpStatus,RequestSize,ResponseSize,ErrorCode,ImpersonatedUser,ProxyAsUser,ActAsUser,Cookie,' +
  'CorrelationGuid,PrimaryOrProxyServer,TaskType,' +
  // [assumed] tail
  'RemoteBackendCount,LocalMailboxCount,RemoteMailboxCount,LocalIdCount,RemoteIdCount,TotalRequestTime,GenericInfo,' +
  'AuthenticationErrors,GenericErrors'
).split(',');

export const RPS_CMDLET_FIELDS = (
  'DateTime,StartTime,RequestId,ClientRequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ServerHostName,' +
  'ProcessId,ProcessName,ThreadId,CultureInfo,Organization,AuthenticatedUser,ExecutingUserSid,EffectiveOrganization,' +
  'UserServicePlan,IsAdmin,ClientApplication,Cmdlet,Parameters,CmdletUniqueId,' +
  // [assumed] middle/tail
  'UserBudgetOnStart,ContributeToFailFast,TotalTime,ErrorType,ExecutionResult,OutputObjectCount,GenericInfo,' +
  'GenericErrors,NonPiiParameters'
).split(',');

/** [assumed] order; only the UrlStem,AuthenticationType,IsAuthenticated ... HttpStatus,SubStatus run and the
 * GenericInfo content are attested (research §4.4, from a public detection of OWASSRF rows). */
export const RPS_HTTP_FIELDS = (
  'DateTime,StartTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,UrlHost,UrlStem,' +
  'AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,ManagedOrganization,ClientIpAddress,' +
  'ServerHostName,HttpStatus,SubStatus,ErrorCode,Action,CommandId,CommandName,SessionId,ShellId,FailFast,' +
  'ContributeToFailFast,RequestBytes,ClientApplication,TenantType,UserAgent,UrlQuery,GenericInfo,GenericLatency,' +
  'GenericErrors'
).split(',');

/** Message tracking columns as documented by Microsoft for Exchange 2013+ ("Message tracking logs" on Learn). */
export const MSGTRK_FIELDS = (
  'date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,' +
  'internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,' +
  'related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,' +
  'tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version'
).split(',');
