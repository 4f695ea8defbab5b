{{- define "rankops.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 63 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "rankops.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels for one component: (dict "root" $ "component" "api") */}}
{{- define "rankops.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "rankops.image" -}}
{{- $tag := .root.Values.image.tag | toString -}}
{{- if eq $tag "latest" -}}{{- fail "image.tag must be a pinned version or commit, not latest" -}}{{- end -}}
{{ printf "%s/rankops-%s:%s" .root.Values.image.registry .component $tag }}
{{- end -}}

{{- define "rankops.configName" -}}{{ include "rankops.fullname" . }}-config{{- end -}}

{{/* Credentials as env from Secrets. Each entry names the secret and key from values. */}}
{{/* The API's runtime role (requests) and the schema owner (its Flyway migrations). */}}
{{- define "rankops.env.postgres" -}}
- name: RANKOPS_PG_API_USER
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.postgres.existingSecret }}, key: {{ .Values.secrets.postgres.usernameKey }}}
- name: RANKOPS_PG_API_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.postgres.existingSecret }}, key: {{ .Values.secrets.postgres.passwordKey }}}
- name: RANKOPS_PG_OWNER_USER
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.postgresOwner.existingSecret }}, key: {{ .Values.secrets.postgresOwner.usernameKey }}}
- name: RANKOPS_PG_OWNER_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.postgresOwner.existingSecret }}, key: {{ .Values.secrets.postgresOwner.passwordKey }}}
{{- end -}}

{{/* One service's own MLflow account: (dict "secret" .Values.secrets.mlflowApi "user" "RANKOPS_MLFLOW_API_USER" "password" "RANKOPS_MLFLOW_API_PASSWORD") */}}
{{- define "rankops.env.mlflowAccount" -}}
- name: {{ .user }}
  valueFrom:
    secretKeyRef: {name: {{ .secret.existingSecret }}, key: {{ .secret.usernameKey }}}
- name: {{ .password }}
  valueFrom:
    secretKeyRef: {name: {{ .secret.existingSecret }}, key: {{ .secret.passwordKey }}}
{{- end -}}

{{- define "rankops.env.objectStore" -}}
- name: RANKOPS_MINIO_USER
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.objectStore.existingSecret }}, key: {{ .Values.secrets.objectStore.accessKeyKey }}}
- name: RANKOPS_MINIO_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.objectStore.existingSecret }}, key: {{ .Values.secrets.objectStore.secretKeyKey }}}
{{- end -}}

{{- define "rankops.env.rankerAdmin" -}}
- name: RANKOPS_RANKER_ADMIN_USER
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.rankerAdmin.existingSecret }}, key: {{ .Values.secrets.rankerAdmin.usernameKey }}}
- name: RANKOPS_RANKER_ADMIN_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.rankerAdmin.existingSecret }}, key: {{ .Values.secrets.rankerAdmin.passwordKey }}}
{{- end -}}

{{/* The ranker alone checks the feedback credential; the worker never gets it. */}}
{{- define "rankops.env.rankerFeedback" -}}
- name: RANKOPS_RANKER_FEEDBACK_USER
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.rankerFeedback.existingSecret }}, key: {{ .Values.secrets.rankerFeedback.usernameKey }}}
- name: RANKOPS_RANKER_FEEDBACK_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.rankerFeedback.existingSecret }}, key: {{ .Values.secrets.rankerFeedback.passwordKey }}}
{{- end -}}

{{- define "rankops.env.api" -}}
- name: RANKOPS_OIDC_CLIENT_SECRET
  valueFrom:
    secretKeyRef: {name: {{ .Values.secrets.api.existingSecret }}, key: {{ .Values.secrets.api.oidcClientSecretKey }}, optional: {{ not .Values.oidc.enabled }}}
{{- end -}}

{{/*
A Quarkus service: Deployment + Service + HPA.
(dict "root" $ "component" "api" "values" .Values.api "env" (include "rankops.env.api" $))
*/}}
{{- define "rankops.javaService" -}}
{{- $root := .root -}}
{{- $v := .values -}}
{{- $name := printf "%s-%s" (include "rankops.fullname" $root) .component -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  labels:
    {{- include "rankops.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  {{- if not $v.autoscaling.enabled }}
  replicas: {{ $v.replicas }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "rankops.selectorLabels" (dict "root" $root "component" .component) | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "rankops.selectorLabels" (dict "root" $root "component" .component) | nindent 8 }}
      annotations:
        # Roll the pods when the shared configuration changes.
        checksum/config: {{ include (print $root.Template.BasePath "/configmap.yaml") $root | sha256sum }}
    spec:
      {{- with $root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- toYaml $root.Values.podSecurityContext | nindent 8 }}
      containers:
        - name: {{ .component }}
          image: {{ include "rankops.image" (dict "root" $root "component" .component) }}
          imagePullPolicy: {{ $root.Values.image.pullPolicy }}
          ports:
            - name: http
              containerPort: {{ $v.port }}
          envFrom:
            - configMapRef:
                name: {{ include "rankops.configName" $root }}
          {{- /* api and worker are Temporal clients; the ranker is not. */}}
          {{- $temporal := has .component (list "api" "worker") }}
          {{- $temporalEnv := ternary (include "rankops.env.temporal" $root) "" $temporal }}
          {{- if or .env $temporalEnv }}
          env:
            {{- with .env }}{{ . | nindent 12 }}{{ end }}
            {{- with $temporalEnv }}{{ . | nindent 12 }}{{ end }}
          {{- end }}
          startupProbe:
            # Flyway migrations (api) and the Temporal connection run before the app is up.
            httpGet: {path: /q/health/started, port: http}
            periodSeconds: 5
            failureThreshold: 60
          livenessProbe:
            httpGet: {path: /q/health/live, port: http}
            periodSeconds: 10
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /q/health/ready, port: http}
            periodSeconds: 5
            failureThreshold: 3
          resources:
            {{- toYaml $v.resources | nindent 12 }}
          securityContext:
            {{- toYaml $root.Values.containerSecurityContext | nindent 12 }}
          volumeMounts:
            # Writable /tmp for Vert.x and native libraries (ONNX Runtime) on a read-only root.
            - {name: tmp, mountPath: /tmp}
            {{- if $temporal }}{{ include "rankops.temporal.volumeMount" $root | nindent 12 }}{{ end }}
      volumes:
        - name: tmp
          emptyDir: {}
        {{- if $temporal }}{{ include "rankops.temporal.volume" $root | nindent 8 }}{{ end }}
      {{- with $v.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  labels:
    {{- include "rankops.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  type: {{ $v.service.type }}
  selector:
    {{- include "rankops.selectorLabels" (dict "root" $root "component" .component) | nindent 4 }}
  ports:
    - name: http
      port: {{ $v.port }}
      targetPort: http
{{- if $v.autoscaling.enabled }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  labels:
    {{- include "rankops.labels" $root | nindent 4 }}
    app.kubernetes.io/component: {{ .component }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ $v.autoscaling.minReplicas }}
  maxReplicas: {{ $v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $v.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end -}}
