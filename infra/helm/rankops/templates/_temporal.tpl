{{/*
Temporal authentication for every Temporal client (api, worker, trainer): the variables of
platform TemporalVariables / rankops_trainer/temporal_client.py. docs/deploy.md, "Temporal
authentication". Combinations the services would refuse at startup are refused here first.
*/}}
{{- define "rankops.temporal.dir" -}}/etc/rankops/temporal{{- end -}}

{{/* ConfigMap entries: the flag, the server name and where the mounted files are. */}}
{{- define "rankops.temporal.config" -}}
{{- $t := .Values.externalTemporal -}}
{{- $c := $t.certificates -}}
{{- if and $t.apiKey.existingSecret (not $t.tls) -}}
{{- fail "externalTemporal.apiKey needs externalTemporal.tls: true (the key must not travel in clear text)" -}}
{{- end -}}
{{- if and (or $c.existingSecret $t.serverName) (not $t.tls) -}}
{{- fail "externalTemporal.certificates and serverName need externalTemporal.tls: true" -}}
{{- end -}}
{{- if ne (empty $c.clientCertKey) (empty $c.clientKeyKey) -}}
{{- fail "externalTemporal.certificates: mutual TLS needs both clientCertKey and clientKeyKey" -}}
{{- end -}}
{{- if and (or $c.caCertKey $c.clientCertKey) (not $c.existingSecret) -}}
{{- fail "externalTemporal.certificates: name the Secret holding the keys (existingSecret)" -}}
{{- end -}}
RANKOPS_TEMPORAL_TLS: {{ $t.tls | quote }}
{{- with $t.serverName }}
RANKOPS_TEMPORAL_SERVER_NAME: {{ . | quote }}
{{- end }}
{{- with $c.caCertKey }}
RANKOPS_TEMPORAL_CA_CERT: {{ printf "%s/%s" (include "rankops.temporal.dir" $) . | quote }}
{{- end }}
{{- with $c.clientCertKey }}
RANKOPS_TEMPORAL_CLIENT_CERT: {{ printf "%s/%s" (include "rankops.temporal.dir" $) . | quote }}
{{- end }}
{{- with $c.clientKeyKey }}
RANKOPS_TEMPORAL_CLIENT_KEY: {{ printf "%s/%s" (include "rankops.temporal.dir" $) . | quote }}
{{- end }}
{{- end -}}

{{/* Container env: the API key, from its Secret. */}}
{{- define "rankops.env.temporal" -}}
{{- with .Values.externalTemporal.apiKey -}}
{{- if .existingSecret -}}
- name: RANKOPS_TEMPORAL_API_KEY
  valueFrom:
    secretKeyRef: {name: {{ .existingSecret }}, key: {{ .key }}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "rankops.temporal.volumeMount" -}}
{{- if .Values.externalTemporal.certificates.existingSecret -}}
- {name: temporal-certificates, mountPath: {{ include "rankops.temporal.dir" . }}, readOnly: true}
{{- end -}}
{{- end -}}

{{- define "rankops.temporal.volume" -}}
{{- with .Values.externalTemporal.certificates -}}
{{- if .existingSecret -}}
- name: temporal-certificates
  secret:
    secretName: {{ .existingSecret }}
    # Readable by the pod's group (podSecurityContext.fsGroup) only.
    defaultMode: 0440
{{- end -}}
{{- end -}}
{{- end -}}
